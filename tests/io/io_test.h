/*
 * io_test.h - what the tests of tests/io share: scratch paths under
 * IL_TEST_TMPDIR, writing and reading whole files, a reader's rows dumped
 * into one string to compare with IL_CHECK_STR, and the allocation-failure
 * loop over a reader.
 *
 * Header-only for the test executables (tests/CMakeLists.txt builds each
 * test_*.c alone): the functions are static inline, so a test that does not
 * use one gets no unused-function warning.  Checks made here report this
 * file's line; the TAP line names the test that called.
 */
#ifndef INNOLINK_IO_TEST_H
#define INNOLINK_IO_TEST_H

#include <innolink/io.h>

#include "test.h"

/* How dump_reader() writes one row. */
enum dump_style {
	DUMP_VALUES, /* "line|value|value\n": CSV, TSV, XLSX, whose header is fixed */
	DUMP_KEYS, /* "line|key=value|key=value\n": JSON Lines, whose keys vary by row */
};

/* IL_TEST_TMPDIR/name.  Borrowed, valid until four more calls, so a test
 * can hold a few paths at once. */
static inline char *tmp_path(const char *name)
{
	static char path[4][512];
	static int k;
	char *p = path[k++ % 4];
	snprintf(p, 512, "%s/%s", IL_TEST_TMPDIR, name);
	return p;
}

static inline void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	IL_CHECK(f != NULL);
	if (!f)
		return;
	IL_CHECK(fwrite(data, 1, len, f) == len);
	fclose(f);
}

/* The whole file, NUL-terminated, its length in *len; NULL when it cannot be
 * opened.  Caller frees with free(). */
static inline char *slurp(const char *path, size_t *len /* out */)
{
	FILE *f = fopen(path, "rb");
	struct il_buf b;
	char tmp[4096];
	size_t n;
	if (!f)
		return NULL;
	il_buf_init(&b, 0);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		il_buf_add(&b, tmp, n);
	fclose(f);
	*len = b.len;
	return il_buf_detach(&b);
}

/* Appends every row left in r to out; returns the first error. */
static inline int dump_reader(struct il_reader *r, enum dump_style style, struct il_buf *out)
{
	struct il_row row;
	bool done = false;
	int rc;
	while ((rc = il_reader_next(r, &row, &done)) == IL_OK && !done) {
		il_buf_addf(out, "%zu", row.line);
		for (size_t i = 0; i < row.ncells; i++) {
			if (style == DUMP_KEYS)
				il_buf_addf(out, "|%s=", row.keys[i]);
			else
				il_buf_addc(out, '|');
			il_buf_add(out, row.values[i], row.lens[i]);
		}
		il_buf_addc(out, '\n');
	}
	return rc;
}

/* Dumps and closes a reader that an open returned `rc` for (call after the
 * open: the order in which arguments are evaluated is unspecified). */
static inline int dump_opened(int rc, struct il_reader *r, enum dump_style style,
			      struct il_buf *out)
{
	if (rc == IL_OK)
		rc = dump_reader(r, style, out);
	il_reader_close(r);
	return rc;
}

/*
 * Reads every row of data (opened with il_reader_open_mem(), `name` in
 * `where` and the error details) into out, which this initialises and the
 * caller releases.  Returns the first error, from the open or from a row;
 * the rows before it stay in out.
 */
static inline int read_rows_mem(const void *data, size_t len, enum il_format fmt,
				const char *encoding, const char *name, enum dump_style style,
				struct il_buf *out)
{
	struct il_reader *r = NULL;
	il_buf_init(out, 0);
	int rc = il_reader_open_mem(data, len, fmt, encoding, name, &r);
	return dump_opened(rc, r, style, out);
}

/* The same for a file, opened with il_reader_open() (`sheet` for XLSX). */
static inline int read_rows_path(const char *path, enum il_format fmt, const char *sheet,
				 enum dump_style style, struct il_buf *out)
{
	struct il_reader *r = NULL;
	il_buf_init(out, 0);
	int rc = il_reader_open(path, fmt, NULL, sheet, &r);
	return dump_opened(rc, r, style, out);
}

/*
 * Opens data and reads all its rows again and again, the 1st, 2nd, ...
 * allocation failing in turn, until a run has no allocation left to fail
 * (at most max_runs runs).  Checks that every failed run returned IL_ENOMEM
 * (the sanitizer build checks that it leaked nothing) and that the run
 * which succeeded read `rows` rows.  Returns how many runs failed, so a
 * test can check that open and read allocate at all.
 */
static inline unsigned long check_alloc_failures(const void *data, size_t len, enum il_format fmt,
						 const char *name, size_t rows,
						 unsigned long max_runs)
{
	unsigned long n, failed = 0;
	int rc = IL_ENOMEM, bad = 0;
	for (n = 1; n < max_runs && rc != IL_OK; n++) {
		struct il_reader *r = NULL;
		il_alloc_fail_after(n);
		rc = il_reader_open_mem(data, len, fmt, NULL, name, &r);
		if (rc == IL_OK) {
			struct il_row row;
			bool done = false;
			size_t got = 0;
			while ((rc = il_reader_next(r, &row, &done)) == IL_OK && !done)
				got++;
			if (rc == IL_OK && got != rows)
				bad++;
		}
		il_reader_close(r);
		il_alloc_fail_after(0);
		if (rc != IL_OK) {
			failed++;
			if (rc != IL_ENOMEM)
				bad++;
		}
	}
	IL_CHECK_INT(rc, IL_OK);
	IL_CHECK_INT(bad, 0);
	return failed;
}

#endif
