/*
 * io_internal.h - what the files of the table layer share: the reader and
 * writer handles with their per-format operations, the decoding text source
 * that CSV and JSON Lines read through, and the row builder that every
 * reader fills.
 *
 * Invariants: a reader's `name` outlives its state; rows point into the
 * row builder and stay valid until the next read.  Everything here depends
 * on base.h and the C library only (plus iconv for the text source).
 */
#ifndef IL_IO_INTERNAL_H
#define IL_IO_INTERNAL_H

#include <innolink/io.h>

#include <iconv.h>
#include <stdio.h>

/* Where a reader takes its bytes from: a file or a borrowed buffer. */
struct il__io_input {
	const char *path; /* NULL for memory input */
	const unsigned char *mem;
	size_t len;
	const char *name; /* what `where` shows; never NULL */
};

struct il__io_reader_ops {
	int (*next)(void *state, struct il_row *row, bool *done);
	double (*progress)(const void *state);
	void (*close)(void *state);
};

struct il_reader {
	const struct il__io_reader_ops *ops;
	void *state;
	char *name; /* owned */
	bool done;
	int failed; /* sticky: a reader that failed keeps failing */
	char detail[512];
};

struct il__io_writer_ops {
	int (*row)(struct il_writer *w, const char *const *values);
	int (*close)(struct il_writer *w); /* frees state in every case */
};

struct il_writer {
	const struct il__io_writer_ops *ops;
	void *state;
	const char *path; /* borrowed from the caller of il_writer_open() */
	size_t ncols;
	const char *const *headers;
	const enum il_cell_type *types;
	size_t rows; /* data rows written so far */
};

/* Format openers: fill r->ops and r->state, or return an error with the
 * detail set and nothing left allocated. */
int il__io_csv_open(struct il_reader *r, const struct il__io_input *in, char delim,
		    const char *encoding);
int il__io_jsonl_open(struct il_reader *r, const struct il__io_input *in, const char *encoding);
int il__io_xlsx_open(struct il_reader *r, const struct il__io_input *in, const char *sheet);

int il__io_csv_writer_open(struct il_writer *w, char delim, const char *encoding);
int il__io_jsonl_writer_open(struct il_writer *w);
int il__io_xlsx_writer_open(struct il_writer *w, const char *sheet);
/* The type of column col; IL_CELL_TEXT when the caller gave no types. */
enum il_cell_type il__io_col_type(const struct il_writer *w, size_t col);

/*
 * The text source: raw bytes from a file or buffer, read in chunks of
 * IL__IO_CHUNK, decoded to UTF-8 (validated, or converted with iconv), so a
 * file of any size is read with bounded memory.  A UTF-8 BOM is skipped,
 * UTF-16 BOMs select UTF-16; without a BOM `encoding` decides, or when NULL
 * the first chunk is checked: not valid UTF-8 means GB18030.
 *
 * Decoded bytes are t->out[t->out_pos .. t->out_len); the parser consumes
 * them by advancing out_pos and calls il__io_text_fill() when they run out.
 * An invalid byte is reported only when the parser reaches it, so the
 * parser's line number is the line of the bad byte.
 */
#define IL__IO_CHUNK (64u * 1024u)

struct il__io_text {
	FILE *fp; /* NULL for memory input */
	const unsigned char *mem;
	size_t memlen, mempos;
	uint64_t total; /* input size in bytes, 0 when unknown */
	const char *name;
	char encoding[32]; /* for messages: "UTF-8", "GB18030", ... */
	iconv_t cd; /* (iconv_t)-1 when the input is UTF-8 */
	unsigned char *raw; /* IL__IO_CHUNK bytes */
	size_t raw_len, raw_off; /* raw[raw_off..raw_len) is not decoded yet */
	uint64_t raw_base; /* input offset of raw[0] */
	bool eof; /* nothing more to read from the input */
	char *conv; /* conversion output, when cd is open */
	size_t conv_cap;
	const char *out;
	size_t out_len, out_pos;
	int err; /* deferred decoding error, reported once out is drained */
	uint64_t err_off;
	unsigned err_byte;
};

/* Opens the source and settles the encoding.  IL_EIO, IL_EINVAL (unknown
 * encoding name), IL_EFORMAT (the bytes are an XLSX or XLS file),
 * IL_ENOMEM.  Releases everything itself on failure. */
int il__io_text_open(struct il__io_text *t, const struct il__io_input *in, const char *encoding);
/* Refills out.  On IL_OK either out has at least one byte or *eof is set.
 * `line` names the parser's position in an IL_EENCODING detail. */
int il__io_text_fill(struct il__io_text *t, size_t line, bool *eof);
double il__io_text_progress(const struct il__io_text *t);
void il__io_text_close(struct il__io_text *t);

/*
 * The row builder: cells appended byte by byte or in runs, each stored
 * NUL-terminated in one buffer, then published as the arrays of il_row.
 */
struct il__io_rowbuf {
	struct il_buf data;
	size_t *offs;
	size_t *lens;
	const char **values;
	size_t n; /* finished cells */
	size_t cap; /* entries in offs, lens and values */
	size_t cell_start; /* offset of the cell being built */
};

void il__io_rowbuf_init(struct il__io_rowbuf *rb, size_t max_bytes);
void il__io_rowbuf_release(struct il__io_rowbuf *rb);
void il__io_rowbuf_reset(struct il__io_rowbuf *rb);
/* Appends to the current cell.  IL_ETOOBIG past the byte cap, IL_ENOMEM;
 * the caller writes the detail. */
int il__io_rowbuf_add(struct il__io_rowbuf *rb, const char *p, size_t n);
size_t il__io_rowbuf_cell_len(const struct il__io_rowbuf *rb);
/* Finishes the current cell.  IL_ETOOBIG past IL_IO_MAX_COLUMNS cells. */
int il__io_rowbuf_end_cell(struct il__io_rowbuf *rb);
/* Appends a whole cell. */
int il__io_rowbuf_push(struct il__io_rowbuf *rb, const char *p, size_t n);
/* Drops cells from index n on. */
void il__io_rowbuf_truncate(struct il__io_rowbuf *rb, size_t n);
/* Points values[] into the data; call after the last cell. */
void il__io_rowbuf_publish(struct il__io_rowbuf *rb);

/* Parses a decimal number as JSON writes it ("-12", "3.5", "1e-3");
 * false for anything else, including "", " 1", "0x10", "inf". */
bool il__io_parse_number(const char *s, double *out);
/* Formats a number as readers show it: integers without ".0" (below 1e15),
 * others with 15 significant digits. */
void il__io_format_number(double v, char out[32]);
/* Trims ASCII blanks and a leading U+FEFF; returns the new length. */
size_t il__io_trim(char *s, size_t n);
/* Copies header names (already trimmed) into one allocation, checking that
 * none is empty or repeated; `where` ("orgs.csv:1") starts the detail, and
 * columns are named by number, or by letter when `xlsx_cols`.  *store and
 * *keys are the caller's to free with free().  IL_EFORMAT, IL_ENOMEM. */
int il__io_keys_build(const char *const *names, const size_t *lens, size_t n, const char *where,
		      bool xlsx_cols, char **store, const char ***keys);
/* "A", "B", ..., "AA" for column index col (0-based) into out[8]. */
void il__io_col_name(size_t col, char out[8]);
/* Canonical iconv name for a user's encoding name; NULL for UTF-8.
 * "gbk", "gb2312", "cp936" and "gb18030" all read as GB18030. */
const char *il__io_encoding_name(const char *enc);

#endif
