/*
 * csv.c - CSV and TSV: an RFC 4180 reader over the decoding text source and
 * a writer that Excel opens correctly.
 *
 * Reader: fields separated by the delimiter (',' or tab), records by CRLF,
 * LF or CR; a field that starts with '"' is quoted and may hold delimiters,
 * newlines and doubled quotes.  Text after a closing quote is kept as it is
 * ("ab"c reads as abc), as Excel and Python do.  The first non-blank record
 * is the header; blank lines are skipped; short records are padded with "",
 * long ones are an error.  A record is parsed byte by byte from the decoded
 * window, so a file of any size is read with the memory of one record.
 *
 * Invariants: c->line is the line of the next unread byte (CR, LF and CRLF
 * each end one line); a record never exceeds IL_IO_MAX_LINE bytes nor a
 * cell IL_IO_MAX_CELL.  Depends on table.c's text source and row builder.
 */
#include "io_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct csv {
	struct il__io_text text;
	char delim;
	size_t line;
	bool prev_cr; /* the last byte was CR: an LF now ends no new line */
	bool skip_lf; /* the last record ended on CR: an LF now belongs to it */
	struct il__io_rowbuf rb;
	char *key_store;
	const char **keys;
	size_t ncols;
	struct il_buf where;
};

static int cell_add(struct csv *c, const char *p, size_t n, size_t start)
{
	if (il__io_rowbuf_cell_len(&c->rb) + n > IL_IO_MAX_CELL)
		return il_error_set(IL_ETOOBIG, "%s:%zu: column %zu: cell longer than %u bytes",
				    c->text.name, start, c->rb.n + 1, IL_IO_MAX_CELL);
	if (c->rb.data.len + n > IL_IO_MAX_LINE)
		return il_error_set(IL_ETOOBIG, "%s:%zu: record longer than %u bytes", c->text.name,
				    start, IL_IO_MAX_LINE);
	return il__io_rowbuf_add(&c->rb, p, n);
}

static int cell_end(struct csv *c, size_t start)
{
	int rc = il__io_rowbuf_end_cell(&c->rb);
	if (rc == IL_ETOOBIG)
		return il_error_set(IL_ETOOBIG, "%s:%zu: more than %u columns", c->text.name, start,
				    IL_IO_MAX_COLUMNS);
	return rc;
}

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Non-zero exactly when a byte of w equals the byte that `pattern`
 * repeats: the classic test for a zero byte, (x - 0x01..) & ~x & 0x80..,
 * applied to x = w ^ pattern.  Which bits it sets is not exact, so the
 * caller finds the byte itself. */
static uint64_t match_bytes(uint64_t w, uint64_t pattern)
{
	uint64_t x = w ^ pattern;
	return (x - ONES) & ~x & HIGHS;
}

/* Length of the run of bytes that need no decision: not `stop` (the
 * delimiter, or the quote inside a quoted field) and not a line end.
 * Eight bytes at a time: abstracts are long runs of plain text. */
static size_t plain_run(const char *p, size_t n, char stop)
{
	const uint64_t s = ONES * (unsigned char)stop, cr = ONES * '\r', lf = ONES * '\n';
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		if (match_bytes(w, s) | match_bytes(w, cr) | match_bytes(w, lf))
			break;
	}
	while (i < n && p[i] != stop && p[i] != '\r' && p[i] != '\n')
		i++;
	return i;
}

/* Reads one record into c->rb.  *eof when the input had no more bytes;
 * *start is the line where the record began. */
static int read_record(struct csv *c, size_t *start, bool *eof)
{
	enum { FIELD, PLAIN, QUOTED, QUOTE_SEEN } st = FIELD;
	struct il__io_text *t = &c->text;
	bool any = false;
	size_t qline = 0;
	int rc;
	*eof = false;
	il__io_rowbuf_reset(&c->rb);
	for (;;) {
		if (t->out_pos == t->out_len) {
			bool end;
			if ((rc = il__io_text_fill(t, c->line, &end)) != IL_OK)
				return rc;
			if (end)
				break;
		}
		const char *p = t->out + t->out_pos;
		size_t avail = t->out_len - t->out_pos;
		char ch = *p;
		if (!any) {
			if (c->skip_lf && ch == '\n') {
				c->skip_lf = false;
				c->prev_cr = false;
				t->out_pos++;
				continue;
			}
			c->skip_lf = false;
			any = true;
			*start = c->line;
		}
		if (st == PLAIN || (st == FIELD && ch != '"') || st == QUOTED) {
			size_t n = plain_run(p, avail, st == QUOTED ? '"' : c->delim);
			if (n > 0) {
				if ((rc = cell_add(c, p, n, *start)) != IL_OK)
					return rc;
				t->out_pos += n;
				c->prev_cr = false;
				if (st == FIELD)
					st = PLAIN;
				continue;
			}
		}
		t->out_pos++;
		if (ch == '\r') {
			c->line++;
		} else if (ch == '\n' && !c->prev_cr) {
			c->line++;
		}
		c->prev_cr = ch == '\r';
		switch (st) {
		case FIELD:
		case PLAIN:
			if (ch == '"' && st == FIELD) {
				st = QUOTED;
				qline = c->line;
			} else if (ch == c->delim) {
				if ((rc = cell_end(c, *start)) != IL_OK)
					return rc;
				st = FIELD;
			} else {
				/* a line end: the record is complete */
				c->skip_lf = ch == '\r';
				return cell_end(c, *start);
			}
			break;
		case QUOTED:
			if (ch == '"') {
				st = QUOTE_SEEN;
			} else if ((rc = cell_add(c, &ch, 1, *start)) != IL_OK) {
				return rc;
			}
			break;
		case QUOTE_SEEN:
			if (ch == '"') {
				if ((rc = cell_add(c, &ch, 1, *start)) != IL_OK)
					return rc;
				st = QUOTED;
			} else if (ch == c->delim) {
				if ((rc = cell_end(c, *start)) != IL_OK)
					return rc;
				st = FIELD;
			} else if (ch == '\r' || ch == '\n') {
				c->skip_lf = ch == '\r';
				return cell_end(c, *start);
			} else {
				if ((rc = cell_add(c, &ch, 1, *start)) != IL_OK)
					return rc;
				st = PLAIN;
			}
			break;
		}
	}
	if (!any) {
		*eof = true;
		return IL_OK;
	}
	if (st == QUOTED)
		return il_error_set(IL_EFORMAT,
				    "%s:%zu: the quoted field that starts on this line is never "
				    "closed (truncated file?)",
				    t->name, qline);
	return cell_end(c, *start);
}

static bool record_blank(const struct csv *c)
{
	return c->rb.n == 1 && c->rb.lens[0] == 0;
}

static int read_header(struct csv *c)
{
	size_t start = 0;
	bool eof;
	int rc;
	for (;;) {
		if ((rc = read_record(c, &start, &eof)) != IL_OK)
			return rc;
		if (eof)
			return il_error_set(IL_EFORMAT, "%s: the file is empty, no header row",
					    c->text.name);
		if (!record_blank(c))
			break;
	}
	il__io_rowbuf_publish(&c->rb);
	for (size_t i = 0; i < c->rb.n; i++) {
		char *v = c->rb.data.ptr + c->rb.offs[i];
		c->rb.lens[i] = il__io_trim(v, c->rb.lens[i]);
	}
	if ((rc = il_buf_addf(&c->where, "%s:%zu", c->text.name, start)) != IL_OK)
		return rc;
	rc = il__io_keys_build(c->rb.values, c->rb.lens, c->rb.n, c->where.ptr, false,
			       &c->key_store, &c->keys);
	if (rc)
		return rc;
	c->ncols = c->rb.n;
	return IL_OK;
}

static int csv_next(void *state, struct il_row *row, bool *done)
{
	struct csv *c = state;
	size_t start = 0;
	bool eof;
	int rc;
	for (;;) {
		if ((rc = read_record(c, &start, &eof)) != IL_OK)
			return rc;
		if (eof) {
			*done = true;
			return IL_OK;
		}
		if (!record_blank(c))
			break;
	}
	if (c->rb.n > c->ncols)
		return il_error_set(IL_EFORMAT, "%s:%zu: %zu columns, but the header has %zu",
				    c->text.name, start, c->rb.n, c->ncols);
	while (c->rb.n < c->ncols)
		if ((rc = il__io_rowbuf_end_cell(&c->rb)) != IL_OK)
			return rc;
	il__io_rowbuf_publish(&c->rb);
	il_buf_reset(&c->where);
	if ((rc = il_buf_addf(&c->where, "%s:%zu", c->text.name, start)) != IL_OK)
		return rc;
	row->ncells = c->ncols;
	row->keys = c->keys;
	row->values = c->rb.values;
	row->lens = c->rb.lens;
	row->where = c->where.ptr;
	row->line = start;
	return IL_OK;
}

static double csv_progress(const void *state)
{
	const struct csv *c = state;
	return il__io_text_progress(&c->text);
}

static void csv_close(void *state)
{
	struct csv *c = state;
	if (!c)
		return;
	il__io_text_close(&c->text);
	il__io_rowbuf_release(&c->rb);
	il_buf_release(&c->where);
	free(c->key_store);
	free(c->keys);
	free(c);
}

static const struct il__io_reader_ops csv_ops = {csv_next, csv_progress, csv_close};

int il__io_csv_open(struct il_reader *r, const struct il__io_input *in, char delim,
		    const char *encoding)
{
	struct csv *c = il_calloc(1, sizeof(*c));
	int rc;
	if (!c)
		return IL_ENOMEM;
	c->delim = delim;
	c->line = 1;
	il__io_rowbuf_init(&c->rb, 0);
	il_buf_init(&c->where, 0);
	if ((rc = il__io_text_open(&c->text, in, encoding)) != IL_OK) {
		il__io_rowbuf_release(&c->rb);
		free(c);
		return rc;
	}
	if ((rc = read_header(c)) != IL_OK) {
		csv_close(c);
		return rc;
	}
	r->ops = &csv_ops;
	r->state = c;
	return IL_OK;
}

struct csv_writer {
	FILE *fp;
	char delim;
	iconv_t cd; /* (iconv_t)-1: write UTF-8 */
	const char *encoding;
	struct il_buf line;
};

static bool needs_quotes(const char *s, size_t n, char delim)
{
	if (n && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' || s[n - 1] == '\t'))
		return true;
	for (size_t i = 0; i < n; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

/* Appends s to the line in the output encoding.  Delimiters and quotes are
 * ASCII and so the same bytes in UTF-8 and GB18030, so cells can be
 * converted one by one and an unconvertible one named. */
static int put_text(struct il_writer *w, const char *s, size_t n, size_t col)
{
	struct csv_writer *cw = w->state;
	int rc;
	if (cw->cd == (iconv_t)-1)
		return il_buf_add(&cw->line, s, n);
	char *in = (char *)s;
	size_t inleft = n;
	iconv(cw->cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		char tmp[4096], *outp = tmp;
		size_t outleft = sizeof(tmp);
		size_t r = iconv(cw->cd, &in, &inleft, &outp, &outleft);
		int e = errno;
		if ((rc = il_buf_add(&cw->line, tmp, sizeof(tmp) - outleft)) != IL_OK)
			return rc;
		if (r == (size_t)-1 && e != E2BIG)
			return il_error_set(
				IL_EENCODING,
				"%s: row %zu, column \"%s\": text cannot be written in %s", w->path,
				w->rows + 1, w->headers[col], cw->encoding);
	}
	return IL_OK;
}

static int put_cell(struct il_writer *w, const char *s, size_t col)
{
	struct csv_writer *cw = w->state;
	size_t n = s ? strlen(s) : 0;
	int rc;
	if (!needs_quotes(s, n, cw->delim))
		return put_text(w, s, n, col);
	if ((rc = il_buf_addc(&cw->line, '"')) != IL_OK)
		return rc;
	for (const char *p = s, *end = s + n; p < end;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		size_t run = q ? (size_t)(q - p) + 1 : (size_t)(end - p);
		if ((rc = put_text(w, p, run, col)) != IL_OK)
			return rc;
		if (q && (rc = il_buf_addc(&cw->line, '"')) != IL_OK)
			return rc;
		p += run;
	}
	return il_buf_addc(&cw->line, '"');
}

static int write_line(struct il_writer *w, const char *const *cells)
{
	struct csv_writer *cw = w->state;
	int rc;
	il_buf_reset(&cw->line);
	for (size_t i = 0; i < w->ncols; i++) {
		if (i && (rc = il_buf_addc(&cw->line, cw->delim)) != IL_OK)
			return rc;
		if ((rc = put_cell(w, cells[i] ? cells[i] : "", i)) != IL_OK)
			return rc;
	}
	if ((rc = il_buf_add(&cw->line, "\r\n", 2)) != IL_OK)
		return rc;
	if (fwrite(cw->line.ptr, 1, cw->line.len, cw->fp) != cw->line.len)
		return il_error_set(IL_EIO, "%s: write failed: %s", w->path, strerror(errno));
	return IL_OK;
}

static int csv_writer_row(struct il_writer *w, const char *const *values)
{
	return write_line(w, values);
}

static int csv_writer_close(struct il_writer *w)
{
	struct csv_writer *cw = w->state;
	int rc = IL_OK;
	if (fflush(cw->fp) != 0 || ferror(cw->fp))
		rc = il_error_set(IL_EIO, "%s: write failed: %s", w->path, strerror(errno));
	if (fclose(cw->fp) != 0 && rc == IL_OK)
		rc = il_error_set(IL_EIO, "%s: close failed: %s", w->path, strerror(errno));
	if (cw->cd != (iconv_t)-1)
		iconv_close(cw->cd);
	il_buf_release(&cw->line);
	free(cw);
	return rc;
}

static const struct il__io_writer_ops csv_writer_ops = {csv_writer_row, csv_writer_close};

int il__io_csv_writer_open(struct il_writer *w, char delim, const char *encoding)
{
	const char *enc = il__io_encoding_name(encoding);
	struct csv_writer *cw;
	int rc;
	if (enc && strcmp(enc, "GB18030") != 0)
		return il_error_set(IL_EINVAL, "%s: cannot write encoding \"%s\" (utf-8, gb18030)",
				    w->path, encoding);
	cw = il_calloc(1, sizeof(*cw));
	if (!cw)
		return IL_ENOMEM;
	cw->delim = delim;
	cw->cd = (iconv_t)-1;
	cw->encoding = enc ? enc : "UTF-8";
	il_buf_init(&cw->line, 0);
	if (enc) {
		cw->cd = iconv_open(enc, "UTF-8");
		if (cw->cd == (iconv_t)-1) {
			rc = il_error_set(IL_EINVAL, "%s: encoding %s is not available: %s",
					  w->path, enc, strerror(errno));
			goto fail;
		}
	}
	cw->fp = fopen(w->path, "wb");
	if (!cw->fp) {
		rc = il_error_set(IL_EIO, "cannot create %s: %s", w->path, strerror(errno));
		goto fail;
	}
	w->ops = &csv_writer_ops;
	w->state = cw;
	/* The BOM is what makes Excel read the file as UTF-8 and not as the
	 * system's ANSI code page. */
	if (!enc && fwrite("\xEF\xBB\xBF", 1, 3, cw->fp) != 3) {
		rc = il_error_set(IL_EIO, "%s: write failed: %s", w->path, strerror(errno));
		goto fail_open;
	}
	if ((rc = write_line(w, w->headers)) != IL_OK)
		goto fail_open;
	return IL_OK;
fail_open:
	csv_writer_close(w);
	w->state = NULL;
	remove(w->path);
	return rc;
fail:
	if (cw->cd != (iconv_t)-1)
		iconv_close(cw->cd);
	il_buf_release(&cw->line);
	free(cw);
	return rc;
}
