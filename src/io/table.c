/*
 * table.c - the table layer's front: format names, the reader and writer
 * handles that dispatch to csv.c, jsonl.c, xlsx_read.c and xlsx_write.c,
 * and the pieces those share (the decoding text source, the row builder,
 * UTF-8 checks, number formatting, header checks).
 *
 * Invariants: a reader that failed keeps returning the same error and
 * detail; a reader at its end keeps reporting done.  Memory use of the text
 * source is fixed (one raw chunk and one conversion buffer) whatever the
 * size of the file.  Depends on base and iconv.
 */
#include "io_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int il_format_parse(const char *name, enum il_format *out)
{
	static const struct {
		const char *name;
		enum il_format fmt;
	} names[] = {
		{"csv", IL_FMT_CSV},
		{"tsv", IL_FMT_TSV},
		{"jsonl", IL_FMT_JSONL},
		{"xlsx", IL_FMT_XLSX},
	};
	if (!name)
		return il_error_set(IL_EINVAL, "no format given (csv, tsv, jsonl, xlsx)");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*out = names[i].fmt;
			return IL_OK;
		}
	}
	return il_error_set(IL_EINVAL, "unknown format \"%s\" (csv, tsv, jsonl, xlsx)", name);
}

enum il_format il_format_from_path(const char *path)
{
	static const struct {
		const char *ext;
		enum il_format fmt;
	} exts[] = {
		{".csv", IL_FMT_CSV},     {".tsv", IL_FMT_TSV},      {".txt", IL_FMT_TSV},
		{".jsonl", IL_FMT_JSONL}, {".ndjson", IL_FMT_JSONL}, {".json", IL_FMT_JSONL},
		{".xlsx", IL_FMT_XLSX},
	};
	const char *dot = path ? strrchr(path, '.') : NULL;
	if (!dot || strchr(dot, '/'))
		return IL_FMT_CSV;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strcasecmp(dot, exts[i].ext) == 0)
			return exts[i].fmt;
	return IL_FMT_CSV;
}

const char *il__io_encoding_name(const char *enc)
{
	static const char *const gb[] = {"gb18030", "gbk", "gb2312", "cp936", "gb-18030"};
	if (!enc || strcasecmp(enc, "utf-8") == 0 || strcasecmp(enc, "utf8") == 0)
		return NULL;
	for (size_t i = 0; i < sizeof(gb) / sizeof(gb[0]); i++)
		if (strcasecmp(enc, gb[i]) == 0)
			return "GB18030";
	return enc;
}

bool il__io_parse_number(const char *s, double *out)
{
	const char *p = s;
	char *end;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return false;
	errno = 0;
	double v = strtod(s, &end);
	if (end != p || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* Below 1e15 every integer is exact in a double and prints in at most 15
 * digits, the precision Excel keeps; "%.15g" drops the noise that binary
 * fractions carry (0.1 is stored as 0.1000000000000000055...). */
void il__io_format_number(double v, char out[32])
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(out, 32, "%.0f", v == 0 ? 0.0 : v);
	else
		snprintf(out, 32, "%.15g", v);
}

size_t il__io_trim(char *s, size_t n)
{
	size_t a = 0;
	if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
	    (unsigned char)s[2] == 0xBF)
		a = 3;
	while (a < n && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r' || s[a] == '\n'))
		a++;
	while (n > a &&
	       (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	memmove(s, s + a, n - a);
	s[n - a] = '\0';
	return n - a;
}

void il__io_col_name(size_t col, char out[8])
{
	char tmp[8];
	size_t k = 0, c = col + 1;
	while (c > 0 && k < 7) {
		tmp[k++] = (char)('A' + (c - 1) % 26);
		c = (c - 1) / 26;
	}
	for (size_t i = 0; i < k; i++)
		out[i] = tmp[k - 1 - i];
	out[k] = '\0';
}

static void col_label(size_t col, bool letters, char out[24])
{
	if (letters)
		il__io_col_name(col, out);
	else
		snprintf(out, 24, "%zu", col + 1);
}

int il__io_keys_build(const char *const *names, const size_t *lens, size_t n, const char *where,
		      bool xlsx_cols, char **store, const char ***keys)
{
	size_t total = 0, ptrs;
	char *data = NULL;
	const char **k = NULL;
	char a[24], b[24];
	for (size_t i = 0; i < n; i++) {
		if (lens[i] == 0) {
			col_label(i, xlsx_cols, a);
			return il_error_set(IL_EFORMAT, "%s: column %s has an empty header", where,
					    a);
		}
		for (size_t j = 0; j < i; j++) {
			if (lens[j] == lens[i] && memcmp(names[j], names[i], lens[i]) == 0) {
				col_label(j, xlsx_cols, a);
				col_label(i, xlsx_cols, b);
				return il_error_set(
					IL_EFORMAT,
					"%s: header \"%s\" appears twice, in columns %s and %s",
					where, names[i], a, b);
			}
		}
		if (!il_size_add(total, lens[i] + 1, &total))
			return il_error_set(IL_ETOOBIG, "%s: header too long", where);
	}
	if (!il_size_mul(n ? n : 1, sizeof(*k), &ptrs))
		return il_error_set(IL_ETOOBIG, "%s: too many columns", where);
	data = il_malloc(total ? total : 1);
	k = il_malloc(ptrs);
	if (!data || !k) {
		free(data);
		free(k);
		return il_error_set(IL_ENOMEM, "%s: out of memory for the header", where);
	}
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(data + off, names[i], lens[i]);
		data[off + lens[i]] = '\0';
		k[i] = data + off;
		off += lens[i] + 1;
	}
	*store = data;
	*keys = k;
	return IL_OK;
}

void il__io_rowbuf_init(struct il__io_rowbuf *rb, size_t max_bytes)
{
	memset(rb, 0, sizeof(*rb));
	il_buf_init(&rb->data, max_bytes);
}

void il__io_rowbuf_release(struct il__io_rowbuf *rb)
{
	il_buf_release(&rb->data);
	free(rb->offs);
	free(rb->lens);
	free(rb->values);
	rb->offs = rb->lens = NULL;
	rb->values = NULL;
	rb->n = rb->cap = rb->cell_start = 0;
}

void il__io_rowbuf_reset(struct il__io_rowbuf *rb)
{
	il_buf_reset(&rb->data);
	rb->n = 0;
	rb->cell_start = 0;
}

int il__io_rowbuf_add(struct il__io_rowbuf *rb, const char *p, size_t n)
{
	return il_buf_add(&rb->data, p, n);
}

size_t il__io_rowbuf_cell_len(const struct il__io_rowbuf *rb)
{
	return rb->data.len - rb->cell_start;
}

int il__io_rowbuf_end_cell(struct il__io_rowbuf *rb)
{
	if (rb->n >= IL_IO_MAX_COLUMNS)
		return IL_ETOOBIG;
	if (rb->n == rb->cap) {
		size_t cap = rb->cap ? rb->cap * 2 : 16;
		if (cap > IL_IO_MAX_COLUMNS)
			cap = IL_IO_MAX_COLUMNS;
		size_t *o = il_realloc(rb->offs, cap * sizeof(*o));
		if (!o)
			return IL_ENOMEM;
		rb->offs = o;
		size_t *l = il_realloc(rb->lens, cap * sizeof(*l));
		if (!l)
			return IL_ENOMEM;
		rb->lens = l;
		const char **v = il_realloc(rb->values, cap * sizeof(*v));
		if (!v)
			return IL_ENOMEM;
		rb->values = v;
		rb->cap = cap;
	}
	size_t start = rb->cell_start, len = rb->data.len - start;
	/* The terminator is one byte past the cap the caller enforces. */
	int rc = il_buf_addc(&rb->data, '\0');
	if (rc)
		return rc;
	rb->offs[rb->n] = start;
	rb->lens[rb->n] = len;
	rb->n++;
	rb->cell_start = rb->data.len;
	return IL_OK;
}

int il__io_rowbuf_push(struct il__io_rowbuf *rb, const char *p, size_t n)
{
	int rc = il__io_rowbuf_add(rb, p, n);
	return rc ? rc : il__io_rowbuf_end_cell(rb);
}

void il__io_rowbuf_truncate(struct il__io_rowbuf *rb, size_t n)
{
	if (n >= rb->n)
		return;
	rb->n = n;
	rb->data.len = n ? rb->offs[n - 1] + rb->lens[n - 1] + 1 : 0;
	rb->cell_start = rb->data.len;
	if (rb->data.ptr)
		rb->data.ptr[rb->data.len] = '\0';
}

void il__io_rowbuf_publish(struct il__io_rowbuf *rb)
{
	for (size_t i = 0; i < rb->n; i++)
		rb->values[i] = rb->data.ptr + rb->offs[i];
}

static int text_read(struct il__io_text *t)
{
	while (!t->eof && t->raw_len < IL__IO_CHUNK) {
		size_t want = IL__IO_CHUNK - t->raw_len, got;
		if (t->fp) {
			got = fread(t->raw + t->raw_len, 1, want, t->fp);
			if (got < want) {
				if (ferror(t->fp))
					return il_error_set(IL_EIO,
							    "%s: read error at byte %llu: %s",
							    t->name,
							    (unsigned long long)(t->raw_base +
										 t->raw_len),
							    strerror(errno));
				t->eof = true;
			}
		} else {
			got = t->memlen - t->mempos < want ? t->memlen - t->mempos : want;
			memcpy(t->raw + t->raw_len, t->mem + t->mempos, got);
			t->mempos += got;
			if (t->mempos == t->memlen)
				t->eof = true;
		}
		t->raw_len += got;
	}
	return IL_OK;
}

static void text_decode_utf8(struct il__io_text *t)
{
	bool partial;
	const unsigned char *p = t->raw + t->raw_off;
	size_t n = t->raw_len - t->raw_off;
	size_t ok = il_utf8_prefix((const char *)p, n, &partial);
	t->out = (const char *)p;
	t->out_len = ok;
	t->out_pos = 0;
	t->raw_off += ok;
	if (ok < n && !partial) {
		t->err = IL_EENCODING;
		t->err_off = t->raw_base + t->raw_off;
		t->err_byte = t->raw[t->raw_off];
	}
}

static int text_decode_iconv(struct il__io_text *t)
{
	char *in = (char *)t->raw + t->raw_off, *outp = t->conv;
	size_t inleft = t->raw_len - t->raw_off, outleft = t->conv_cap;
	size_t r = iconv(t->cd, &in, &inleft, &outp, &outleft);
	int e = errno;
	t->out = t->conv;
	t->out_len = t->conv_cap - outleft;
	t->out_pos = 0;
	t->raw_off = (size_t)((unsigned char *)in - t->raw);
	if (r == (size_t)-1 && e == EILSEQ) {
		t->err = IL_EENCODING;
		t->err_off = t->raw_base + t->raw_off;
		t->err_byte = t->raw[t->raw_off];
	} else if (r == (size_t)-1 && e != EINVAL && e != E2BIG) {
		return il_error_set(IL_EIO, "%s: conversion from %s failed: %s", t->name,
				    t->encoding, strerror(e));
	}
	return IL_OK;
}

int il__io_text_fill(struct il__io_text *t, size_t line, bool *eof)
{
	*eof = false;
	t->out_pos = t->out_len = 0;
	for (;;) {
		if (t->err) {
			if (t->err_off >= t->raw_base + t->raw_len)
				return il_error_set(t->err,
						    "%s:%zu: text ends inside a %s character "
						    "(truncated file?)",
						    t->name, line, t->encoding);
			return il_error_set(t->err,
					    "%s:%zu: byte 0x%02X at offset %llu is not valid %s; "
					    "save the file as UTF-8 or name its encoding (gb18030)",
					    t->name, line, t->err_byte,
					    (unsigned long long)t->err_off, t->encoding);
		}
		if (t->raw_off > 0) {
			memmove(t->raw, t->raw + t->raw_off, t->raw_len - t->raw_off);
			t->raw_base += t->raw_off;
			t->raw_len -= t->raw_off;
			t->raw_off = 0;
		}
		int rc = text_read(t);
		if (rc)
			return rc;
		if (t->raw_len == 0) {
			*eof = true;
			return IL_OK;
		}
		if (t->cd == (iconv_t)-1)
			text_decode_utf8(t);
		else if ((rc = text_decode_iconv(t)) != IL_OK)
			return rc;
		if (t->out_len > 0)
			return IL_OK;
		if (!t->err && t->eof) {
			/* Bytes left that cannot be decoded and no more to come. */
			t->err = IL_EENCODING;
			t->err_off = t->raw_base + t->raw_len;
		}
	}
}

double il__io_text_progress(const struct il__io_text *t)
{
	if (t->total == 0)
		return t->eof && t->raw_off == t->raw_len ? 1.0 : 0.0;
	double done = (double)(t->raw_base + t->raw_off) / (double)t->total;
	return done > 1.0 ? 1.0 : done;
}

void il__io_text_close(struct il__io_text *t)
{
	if (t->fp)
		fclose(t->fp);
	if (t->cd != (iconv_t)-1)
		iconv_close(t->cd);
	free(t->raw);
	free(t->conv);
	t->fp = NULL;
	t->cd = (iconv_t)-1;
	t->raw = NULL;
	t->conv = NULL;
}

/* Files people mistake for text: a zip (XLSX, or anything Office saves) and
 * the OLE2 container of .xls and of password-protected .xlsx. */
static int text_sniff(const struct il__io_text *t)
{
	static const unsigned char zip[] = {'P', 'K', 3, 4};
	static const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
	if (t->raw_len >= sizeof(zip) && memcmp(t->raw, zip, sizeof(zip)) == 0)
		return il_error_set(IL_EFORMAT,
				    "%s: this is a zip file (XLSX?), not text; read it "
				    "with the xlsx format",
				    t->name);
	if (t->raw_len >= sizeof(ole) && memcmp(t->raw, ole, sizeof(ole)) == 0)
		return il_error_set(IL_EFORMAT,
				    "%s: this is an old .xls or an encrypted workbook; "
				    "save it as .xlsx or CSV without a password",
				    t->name);
	return IL_OK;
}

int il__io_text_open(struct il__io_text *t, const struct il__io_input *in, const char *encoding)
{
	const char *enc = il__io_encoding_name(encoding);
	int rc;
	memset(t, 0, sizeof(*t));
	t->cd = (iconv_t)-1;
	t->name = in->name;
	if (in->path) {
		struct stat st;
		t->fp = fopen(in->path, "rb");
		if (!t->fp)
			return il_error_set(IL_EIO, "cannot open %s: %s", in->path,
					    strerror(errno));
		if (fstat(fileno(t->fp), &st) == 0 && S_ISREG(st.st_mode))
			t->total = (uint64_t)st.st_size;
	} else {
		t->mem = in->mem;
		t->memlen = in->len;
		t->total = in->len;
		t->eof = in->len == 0;
	}
	t->raw = il_malloc(IL__IO_CHUNK);
	if (!t->raw) {
		rc = il_error_set(IL_ENOMEM, "%s: out of memory", t->name);
		goto fail;
	}
	if ((rc = text_read(t)) != IL_OK || (rc = text_sniff(t)) != IL_OK)
		goto fail;
	if (t->raw_len >= 3 && t->raw[0] == 0xEF && t->raw[1] == 0xBB && t->raw[2] == 0xBF) {
		t->raw_off = 3;
		enc = NULL;
	} else if (t->raw_len >= 2 && t->raw[0] == 0xFF && t->raw[1] == 0xFE) {
		t->raw_off = 2; /* Excel's "Unicode text" */
		enc = "UTF-16LE";
	} else if (t->raw_len >= 2 && t->raw[0] == 0xFE && t->raw[1] == 0xFF) {
		t->raw_off = 2;
		enc = "UTF-16BE";
	} else if (!encoding) {
		/* The first chunk decides: a character cut by the chunk's end is
		 * not evidence against UTF-8, one cut by the end of the file is. */
		bool partial;
		size_t ok = il_utf8_prefix((const char *)t->raw, t->raw_len, &partial);
		if (ok < t->raw_len && (!partial || t->eof))
			enc = "GB18030";
	}
	snprintf(t->encoding, sizeof(t->encoding), "%s", enc ? enc : "UTF-8");
	if (enc) {
		t->cd = iconv_open("UTF-8", enc);
		if (t->cd == (iconv_t)-1) {
			rc = il_error_set(IL_EINVAL, "%s: unknown encoding \"%s\"", t->name,
					  encoding);
			goto fail;
		}
		/* UTF-8 from any encoding is at most 3 bytes per input byte; a
		 * smaller buffer would only mean more rounds. */
		t->conv_cap = 2 * IL__IO_CHUNK;
		t->conv = il_malloc(t->conv_cap);
		if (!t->conv) {
			rc = il_error_set(IL_ENOMEM, "%s: out of memory", t->name);
			goto fail;
		}
	}
	return IL_OK;
fail:
	il__io_text_close(t);
	return rc;
}

static const char *reader_name(const char *name, const char *path)
{
	if (name)
		return name;
	return path ? path : "(memory)";
}

static int reader_open(const struct il__io_input *in, enum il_format fmt, const char *encoding,
		       const char *sheet, struct il_reader **out)
{
	struct il_reader *r;
	struct il__io_input inp = *in;
	int rc;
	*out = NULL;
	r = il_calloc(1, sizeof(*r));
	if (!r)
		return il_error_set(IL_ENOMEM, "%s: out of memory", in->name);
	r->name = il_strdup(in->name);
	if (!r->name) {
		rc = il_error_set(IL_ENOMEM, "%s: out of memory", in->name);
		goto fail;
	}
	inp.name = r->name;
	switch (fmt) {
	case IL_FMT_CSV:
		rc = il__io_csv_open(r, &inp, ',', encoding);
		break;
	case IL_FMT_TSV:
		rc = il__io_csv_open(r, &inp, '\t', encoding);
		break;
	case IL_FMT_JSONL:
		rc = il__io_jsonl_open(r, &inp, encoding);
		break;
	case IL_FMT_XLSX:
		rc = il__io_xlsx_open(r, &inp, sheet);
		break;
	default:
		rc = il_error_set(IL_EINVAL, "%s: unknown format %d", in->name, (int)fmt);
		break;
	}
	if (rc)
		goto fail;
	*out = r;
	return IL_OK;
fail:
	if (rc == IL_ENOMEM)
		il_error_set(IL_ENOMEM, "%s: out of memory opening the file", in->name);
	free(r->name);
	free(r);
	return rc;
}

int il_reader_open(const char *path, enum il_format fmt, const char *encoding, const char *sheet,
		   struct il_reader **out)
{
	struct il__io_input in = {path, NULL, 0, reader_name(NULL, path)};
	if (!out)
		return il_error_set(IL_EINVAL, "il_reader_open: no out pointer");
	*out = NULL;
	if (!path)
		return il_error_set(IL_EINVAL, "il_reader_open: no path");
	if (fmt == IL_FMT_AUTO)
		fmt = il_format_from_path(path);
	return reader_open(&in, fmt, encoding, sheet, out);
}

int il_reader_open_mem(const void *data, size_t len, enum il_format fmt, const char *encoding,
		       const char *name, struct il_reader **out)
{
	static const unsigned char zip[] = {'P', 'K', 3, 4};
	struct il__io_input in = {NULL, data, len, reader_name(name, NULL)};
	if (!out)
		return il_error_set(IL_EINVAL, "il_reader_open_mem: no out pointer");
	*out = NULL;
	if (!data && len)
		return il_error_set(IL_EINVAL, "il_reader_open_mem: no data");
	if (fmt == IL_FMT_AUTO && name) {
		fmt = il_format_from_path(name);
	} else if (fmt == IL_FMT_AUTO) {
		const unsigned char *p = data;
		size_t i = 0;
		while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
			i++;
		if (len >= sizeof(zip) && memcmp(p, zip, sizeof(zip)) == 0)
			fmt = IL_FMT_XLSX;
		else if (i < len && p[i] == '{')
			fmt = IL_FMT_JSONL;
		else
			fmt = IL_FMT_CSV;
	}
	return reader_open(&in, fmt, encoding, NULL, out);
}

int il_reader_next(struct il_reader *r, struct il_row *row, bool *done)
{
	int rc;
	if (!r || !row || !done)
		return il_error_set(IL_EINVAL, "il_reader_next: NULL argument");
	*done = false;
	if (r->failed)
		return il_error_set(r->failed, "%s", r->detail);
	if (r->done) {
		*done = true;
		return IL_OK;
	}
	rc = r->ops->next(r->state, row, done);
	if (rc) {
		if (rc == IL_ENOMEM)
			il_error_set(IL_ENOMEM, "%s: out of memory reading a row", r->name);
		r->failed = rc;
		snprintf(r->detail, sizeof(r->detail), "%s", il_error_detail(rc));
		memset(row, 0, sizeof(*row));
		return rc;
	}
	if (*done) {
		r->done = true;
		memset(row, 0, sizeof(*row));
	}
	return IL_OK;
}

double il_reader_progress(const struct il_reader *r)
{
	if (!r)
		return 0.0;
	if (r->done)
		return 1.0;
	return r->ops->progress(r->state);
}

void il_reader_close(struct il_reader *r)
{
	if (!r)
		return;
	r->ops->close(r->state);
	free(r->name);
	free(r);
}

int il_writer_open(const char *path, enum il_format fmt, const char *encoding, const char *sheet,
		   size_t ncols, const char *const *headers, const enum il_cell_type *types,
		   struct il_writer **out)
{
	struct il_writer *w;
	int rc;
	if (!out)
		return il_error_set(IL_EINVAL, "il_writer_open: no out pointer");
	*out = NULL;
	if (!path || !headers || ncols == 0)
		return il_error_set(IL_EINVAL, "il_writer_open: no path or no columns");
	for (size_t i = 0; i < ncols; i++) {
		bool partial;
		if (!headers[i])
			return il_error_set(IL_EINVAL, "%s: header of column %zu is NULL", path,
					    i + 1);
		size_t n = strlen(headers[i]);
		if (il_utf8_prefix(headers[i], n, &partial) != n)
			return il_error_set(IL_EENCODING,
					    "%s: header of column %zu is not valid UTF-8", path,
					    i + 1);
	}
	if (fmt == IL_FMT_AUTO)
		fmt = il_format_from_path(path);
	w = il_calloc(1, sizeof(*w));
	if (!w)
		return il_error_set(IL_ENOMEM, "%s: out of memory", path);
	w->path = path;
	w->ncols = ncols;
	w->headers = headers;
	w->types = types;
	switch (fmt) {
	case IL_FMT_CSV:
		rc = il__io_csv_writer_open(w, ',', encoding);
		break;
	case IL_FMT_TSV:
		rc = il__io_csv_writer_open(w, '\t', encoding);
		break;
	case IL_FMT_JSONL:
		rc = il__io_jsonl_writer_open(w);
		break;
	case IL_FMT_XLSX:
		rc = il__io_xlsx_writer_open(w, sheet);
		break;
	default:
		rc = il_error_set(IL_EINVAL, "%s: unknown format %d", path, (int)fmt);
		break;
	}
	if (rc) {
		if (rc == IL_ENOMEM)
			il_error_set(IL_ENOMEM, "%s: out of memory", path);
		free(w);
		return rc;
	}
	*out = w;
	return IL_OK;
}

int il_writer_row(struct il_writer *w, const char *const *values)
{
	if (!w || !values)
		return il_error_set(IL_EINVAL, "il_writer_row: NULL argument");
	for (size_t i = 0; i < w->ncols; i++) {
		bool partial;
		size_t n = values[i] ? strlen(values[i]) : 0;
		if (n && il_utf8_prefix(values[i], n, &partial) != n)
			return il_error_set(
				IL_EENCODING,
				"%s: row %zu, column \"%s\": the value is not valid UTF-8", w->path,
				w->rows + 1, w->headers[i]);
	}
	int rc = w->ops->row(w, values);
	if (rc == IL_ENOMEM)
		il_error_set(IL_ENOMEM, "%s: out of memory writing row %zu", w->path, w->rows + 1);
	if (rc == IL_OK)
		w->rows++;
	return rc;
}

int il_writer_close(struct il_writer *w)
{
	if (!w)
		return IL_OK;
	int rc = w->ops->close(w);
	free(w);
	return rc;
}

enum il_cell_type il__io_col_type(const struct il_writer *w, size_t col)
{
	return w->types ? w->types[col] : IL_CELL_TEXT;
}
