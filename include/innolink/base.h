/*
 * innolink/base.h - errors, growable buffers, arenas, time and logging.
 *
 * The bottom layer of the library: it depends on the C library only, and
 * every other module uses it.  Functions that can fail return an int from
 * enum il_error; the human-readable detail of the last failure on this
 * thread is kept by il_error_set() and read with il_error_detail(), so a
 * message can name the file, line, field and value where the caller knew
 * them without threading an error struct through every call.
 */
#ifndef INNOLINK_BASE_H
#define INNOLINK_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __GNUC__
#define IL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define IL_PRINTF(f, a)
#endif

/*
 * One table gives each error its name, message and HTTP status, so that
 * il_strerror() and the API's problem documents cannot drift apart.  The
 * table is append-only: codes are part of the ABI.
 */
#define IL_ERROR_MAP(X)                                                                            \
	X(OK, "success", 200)                                                                      \
	X(ENOMEM, "out of memory", 500)                                                            \
	X(EINVAL, "invalid input", 400)                                                            \
	X(ENOTFOUND, "not found", 404)                                                             \
	X(ECONFLICT, "conflict with the stored record", 409)                                       \
	X(EIO, "input/output error", 500)                                                          \
	X(EFORMAT, "malformed file", 422)                                                          \
	X(EENCODING, "invalid text encoding", 422)                                                 \
	X(ETOOBIG, "too large", 413)                                                               \
	X(ESTORE, "database error", 500)                                                           \
	X(ESCHEMA, "database schema is newer than this program", 500)                              \
	X(EUNSUPPORTED, "not supported", 501)                                                      \
	X(EAUTH, "authentication required", 401)                                                   \
	X(EPERM, "permission denied", 403)                                                         \
	X(EPRECOND, "precondition failed", 412)                                                    \
	X(EBUSY, "busy, try again", 503)                                                           \
	X(EUSAGE, "usage error", 400)                                                              \
	X(EMETHOD, "method not allowed", 405)                                                      \
	X(EURI, "request target too long", 414)

enum il_error {
#define IL__ERR_ENUM(name, msg, status) IL_##name,
	IL_ERROR_MAP(IL__ERR_ENUM)
#undef IL__ERR_ENUM
		IL_ERROR__COUNT
};

/* Static message of a code ("invalid input"); never NULL. */
const char *il_strerror(int code);
/* Symbolic name of a code ("EINVAL"); never NULL. */
const char *il_errname(int code);
/* HTTP status that an API answer with this code carries. */
int il_error_http_status(int code);

/*
 * Records `code` with a formatted detail for this thread and returns `code`,
 * so a failing path reads `return il_error_set(IL_EINVAL, "...", ...);`.
 * The detail is truncated at 1023 bytes.
 */
int il_error_set(int code, const char *fmt, ...) IL_PRINTF(2, 3);
/* Prepends "prefix: " to this thread's detail (adds file or line context). */
void il_error_prefix(const char *fmt, ...) IL_PRINTF(1, 2);
/* This thread's last detail, or the code's static message if none was set
 * since il_error_clear().  Borrowed, valid until the next il_error_* call. */
const char *il_error_detail(int code);
void il_error_clear(void);

/* A copy of this thread's error, for cleanup code that must not lose it:
 * save, undo what failed (which may set errors of its own), restore. */
struct il_error_saved {
	int code;
	char detail[1024];
};
void il_error_save(struct il_error_saved *e);
void il_error_restore(const struct il_error_saved *e);

/*
 * A growable byte buffer, always NUL-terminated once it holds anything.
 * `max` caps its length (0 means SIZE_MAX / 2): buffers filled from a file or
 * the network get a cap at creation, so hostile input fails with IL_ETOOBIG
 * instead of exhausting memory.
 */
struct il_buf {
	char *ptr; /* NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;
};

#define IL_BUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0, 0                                                                      \
	}

void il_buf_init(struct il_buf *b, size_t max);
/* Frees the memory; the buffer may be reused after il_buf_init(). */
void il_buf_release(struct il_buf *b);
/* Ensures room for `extra` more bytes plus the terminator. */
int il_buf_grow(struct il_buf *b, size_t extra);
int il_buf_add(struct il_buf *b, const void *data, size_t len);
int il_buf_adds(struct il_buf *b, const char *s);
int il_buf_addc(struct il_buf *b, char c);
int il_buf_addf(struct il_buf *b, const char *fmt, ...) IL_PRINTF(2, 3);
int il_buf_vaddf(struct il_buf *b, const char *fmt, va_list ap);
void il_buf_reset(struct il_buf *b);
/* Contents, or "" when empty.  Borrowed, valid until the next change. */
const char *il_buf_cstr(const struct il_buf *b);
/* Hands the memory out (caller frees with free()); the buffer is reset.
 * Returns NULL only if allocation of an empty string failed. */
char *il_buf_detach(struct il_buf *b);

/*
 * An arena for per-request and per-query work: many small allocations
 * freed in one il_arena_release().  Allocations are 16-byte aligned.
 */
struct il_arena_block;
struct il_arena {
	struct il_arena_block *head;
	size_t block_size;
	size_t used; /* bytes handed out, for limits and tests */
	size_t limit; /* 0: unlimited */
};

void il_arena_init(struct il_arena *a, size_t block_size, size_t limit);
void il_arena_release(struct il_arena *a);
/* NULL on exhaustion (limit reached or malloc failure). */
void *il_arena_alloc(struct il_arena *a, size_t size);
char *il_arena_strndup(struct il_arena *a, const char *s, size_t len);
char *il_arena_strdup(struct il_arena *a, const char *s);

/* Overflow-checked size arithmetic: false when the result would wrap. */
static inline bool il_size_mul(size_t a, size_t b, size_t *out)
{
	if (b != 0 && a > SIZE_MAX / b)
		return false;
	*out = a * b;
	return true;
}

static inline bool il_size_add(size_t a, size_t b, size_t *out)
{
	if (a > SIZE_MAX - b)
		return false;
	*out = a + b;
	return true;
}

/* malloc/calloc/realloc/strdup wrappers that the allocation-failure test
 * mode can make fail (see il_alloc_fail_after()). */
void *il_malloc(size_t size);
void *il_calloc(size_t n, size_t size);
void *il_realloc(void *p, size_t size);
char *il_strdup(const char *s);
char *il_strndup(const char *s, size_t n);

/*
 * Test hook: the `n`th allocation from now (1-based) and every one after it
 * fail; 0 turns failures off.  Returns how many allocations have been made
 * since the last call, so a test can loop over every allocation site.
 */
unsigned long il_alloc_fail_after(unsigned long n);

/*
 * Length of the longest valid UTF-8 prefix of `s` (strict RFC 3629: no
 * overlong forms, surrogates or code points past U+10FFFF); equals `len`
 * when all of it is valid.  *partial (may be NULL) tells whether the first
 * invalid byte starts a sequence cut off by the end of the buffer.
 */
size_t il_utf8_prefix(const char *s, size_t len, bool *partial);

static inline bool il_utf8_valid(const char *s, size_t len)
{
	return il_utf8_prefix(s, len, NULL) == len;
}

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into out[21]. An environment
 * variable INNOLINK_NOW of that form overrides the clock, for tests. */
void il_time_now(char out[21]);
/* Seconds since the epoch with the same override. */
int64_t il_time_now_unix(void);

/*
 * A map from strings to integers: open addressing with linear probing over
 * a power-of-two table kept at most half full.  Keys are copied into an
 * arena owned by the map, so filling it costs one allocation per 64 KiB,
 * not one per key.
 */
struct il_strmap_slot;
struct il_strmap {
	struct il_strmap_slot *slots;
	size_t cap; /* 0 or a power of two */
	size_t len;
	struct il_arena keys;
};

void il_strmap_init(struct il_strmap *m);
void il_strmap_release(struct il_strmap *m);
/* Sets key to value; *old (may be NULL) gets the previous value, or -1 when
 * the key is new.  IL_ENOMEM. */
int il_strmap_put(struct il_strmap *m, const char *key, size_t len, int64_t value, int64_t *old);
/* The value of key, or -1 when absent. */
int64_t il_strmap_get(const struct il_strmap *m, const char *key, size_t len);

enum il_log_level { IL_LOG_ERROR, IL_LOG_WARN, IL_LOG_INFO, IL_LOG_DEBUG };
void il_log_set_level(enum il_log_level level);
void il_log(enum il_log_level level, const char *fmt, ...) IL_PRINTF(2, 3);

#endif
