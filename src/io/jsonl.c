/*
 * jsonl.c - JSON Lines: one object per line, read with jansson into rows of
 * text and written back with JSON types chosen by the column type.
 *
 * Reader: lines come from the decoding text source (so a BOM or a GB18030
 * file reads as it does for CSV); blank lines are skipped; each other line
 * must be one JSON object whose keys become the row's keys in object order.
 * Scalars become text (null becomes ""), arrays of scalars are joined with
 * ";", anything nested deeper is an error naming the key.
 *
 * Invariants: a line never exceeds IL_IO_MAX_LINE bytes; the row's keys
 * point into the parsed object, which lives until the next row.  Depends on
 * table.c's text source and row builder, and on jansson.
 */
#include "io_internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct jsonl {
	struct il__io_text text;
	size_t line; /* line of the next unread byte */
	size_t cur; /* line of the current row */
	struct il_buf buf; /* the current line */
	json_t *obj;
	struct il__io_rowbuf rb;
	const char **keys;
	size_t keys_cap;
	struct il_buf where;
};

/* Reads the next line (without its LF) into j->buf; *eof at the end. */
static int read_line(struct jsonl *j, bool *eof)
{
	struct il__io_text *t = &j->text;
	bool any = false;
	int rc;
	il_buf_reset(&j->buf);
	*eof = false;
	for (;;) {
		if (t->out_pos == t->out_len) {
			bool end;
			if ((rc = il__io_text_fill(t, j->line, &end)) != IL_OK)
				return rc;
			if (end) {
				*eof = !any;
				return IL_OK;
			}
		}
		const char *p = t->out + t->out_pos;
		size_t avail = t->out_len - t->out_pos;
		const char *nl = memchr(p, '\n', avail);
		size_t n = nl ? (size_t)(nl - p) : avail;
		any = true;
		if (j->buf.len + n > IL_IO_MAX_LINE)
			return il_error_set(IL_ETOOBIG, "%s:%zu: line longer than %u bytes",
					    t->name, j->line, IL_IO_MAX_LINE);
		if ((rc = il_buf_add(&j->buf, p, n)) != IL_OK)
			return rc;
		t->out_pos += n;
		if (nl) {
			t->out_pos++;
			if (j->buf.len && j->buf.ptr[j->buf.len - 1] == '\r')
				j->buf.ptr[--j->buf.len] = '\0';
			return IL_OK;
		}
	}
}

static bool blank(const struct il_buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (b->ptr[i] != ' ' && b->ptr[i] != '\t' && b->ptr[i] != '\r')
			return false;
	return true;
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* Appends the text of a scalar; false when v is not one. */
static int add_scalar(struct jsonl *j, const json_t *v, bool *scalar)
{
	char num[32];
	*scalar = true;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return il__io_rowbuf_add(&j->rb, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return il__io_rowbuf_add(&j->rb, num, strlen(num));
	case JSON_REAL:
		snprintf(num, sizeof(num), "%.15g", json_real_value(v));
		return il__io_rowbuf_add(&j->rb, num, strlen(num));
	case JSON_TRUE:
		return il__io_rowbuf_add(&j->rb, "true", 4);
	case JSON_FALSE:
		return il__io_rowbuf_add(&j->rb, "false", 5);
	case JSON_NULL:
		return IL_OK;
	default:
		*scalar = false;
		return IL_OK;
	}
}

static int add_value(struct jsonl *j, const char *key, const json_t *v)
{
	bool scalar;
	int rc;
	if (json_is_object(v))
		return il_error_set(IL_EFORMAT,
				    "%s:%zu: key \"%s\" holds an object; only text, numbers, "
				    "booleans and arrays of them can be read",
				    j->text.name, j->cur, key);
	if (!json_is_array(v))
		return add_scalar(j, v, &scalar);
	size_t i, n = 0;
	json_t *e;
	json_array_foreach(v, i, e)
	{
		if (json_is_null(e))
			continue;
		if (n++ && (rc = il__io_rowbuf_add(&j->rb, ";", 1)) != IL_OK)
			return rc;
		if ((rc = add_scalar(j, e, &scalar)) != IL_OK)
			return rc;
		if (!scalar)
			return il_error_set(IL_EFORMAT,
					    "%s:%zu: key \"%s\": item %zu of the array is %s; "
					    "arrays may hold only text, numbers and booleans",
					    j->text.name, j->cur, key, i + 1, type_name(e));
	}
	return IL_OK;
}

static int jsonl_next(void *state, struct il_row *row, bool *done)
{
	struct jsonl *j = state;
	json_error_t err;
	bool eof;
	int rc;
	size_t line;
	json_decref(j->obj);
	j->obj = NULL;
	for (;;) {
		line = j->line;
		if ((rc = read_line(j, &eof)) != IL_OK)
			return rc;
		if (eof) {
			*done = true;
			return IL_OK;
		}
		j->line++;
		if (!blank(&j->buf))
			break;
	}
	j->cur = line;
	j->obj = json_loadb(j->buf.ptr, j->buf.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
	if (!j->obj)
		return il_error_set(IL_EFORMAT, "%s:%zu: column %d: %s", j->text.name, line,
				    err.column, err.text);
	if (!json_is_object(j->obj))
		return il_error_set(IL_EFORMAT, "%s:%zu: expected a JSON object, found %s",
				    j->text.name, line, type_name(j->obj));
	size_t n = json_object_size(j->obj);
	if (n > IL_IO_MAX_COLUMNS)
		return il_error_set(IL_ETOOBIG, "%s:%zu: more than %u keys", j->text.name, line,
				    IL_IO_MAX_COLUMNS);
	if (n > j->keys_cap) {
		const char **k = il_realloc(j->keys, n * sizeof(*k));
		if (!k)
			return IL_ENOMEM;
		j->keys = k;
		j->keys_cap = n;
	}
	il__io_rowbuf_reset(&j->rb);
	const char *key;
	json_t *v;
	size_t i = 0;
	json_object_foreach(j->obj, key, v)
	{
		if ((rc = add_value(j, key, v)) != IL_OK)
			return rc;
		if (il__io_rowbuf_cell_len(&j->rb) > IL_IO_MAX_CELL)
			return il_error_set(IL_ETOOBIG,
					    "%s:%zu: key \"%s\": value longer than %u bytes",
					    j->text.name, line, key, IL_IO_MAX_CELL);
		if ((rc = il__io_rowbuf_end_cell(&j->rb)) != IL_OK)
			return rc;
		j->keys[i++] = key;
	}
	il__io_rowbuf_publish(&j->rb);
	il_buf_reset(&j->where);
	if ((rc = il_buf_addf(&j->where, "%s:%zu", j->text.name, line)) != IL_OK)
		return rc;
	row->ncells = i;
	row->keys = j->keys;
	row->values = j->rb.values;
	row->lens = j->rb.lens;
	row->where = j->where.ptr;
	row->line = line;
	return IL_OK;
}

static double jsonl_progress(const void *state)
{
	const struct jsonl *j = state;
	return il__io_text_progress(&j->text);
}

static void jsonl_close(void *state)
{
	struct jsonl *j = state;
	if (!j)
		return;
	json_decref(j->obj);
	il__io_text_close(&j->text);
	il__io_rowbuf_release(&j->rb);
	il_buf_release(&j->buf);
	il_buf_release(&j->where);
	free(j->keys);
	free(j);
}

static const struct il__io_reader_ops jsonl_ops = {jsonl_next, jsonl_progress, jsonl_close};

int il__io_jsonl_open(struct il_reader *r, const struct il__io_input *in, const char *encoding)
{
	struct jsonl *j = il_calloc(1, sizeof(*j));
	int rc;
	if (!j)
		return IL_ENOMEM;
	j->line = 1;
	il_buf_init(&j->buf, IL_IO_MAX_LINE);
	il_buf_init(&j->where, 0);
	il__io_rowbuf_init(&j->rb, 0);
	if ((rc = il__io_text_open(&j->text, in, encoding)) != IL_OK) {
		free(j);
		return rc;
	}
	r->ops = &jsonl_ops;
	r->state = j;
	return IL_OK;
}

struct jsonl_writer {
	FILE *fp;
};

/* The JSON value for one cell, by its column's type; a value that does not
 * fit the type is written as the string it is, so nothing is lost. */
static json_t *cell_json(enum il_cell_type type, const char *s)
{
	double d;
	switch (type) {
	case IL_CELL_NUMBER:
		if (il__io_parse_number(s, &d)) {
			if (!strpbrk(s, ".eE")) {
				char *end;
				errno = 0;
				long long ll = strtoll(s, &end, 10);
				if (errno == 0 && *end == '\0')
					return json_integer((json_int_t)ll);
			}
			return json_real(d);
		}
		break;
	case IL_CELL_BOOL:
		if (strcmp(s, "1") == 0 || strcasecmp(s, "true") == 0)
			return json_true();
		if (strcmp(s, "0") == 0 || strcasecmp(s, "false") == 0)
			return json_false();
		break;
	case IL_CELL_LIST: {
		json_t *a = json_array();
		for (const char *p = s; a && *p;) {
			const char *q = strchr(p, ';');
			size_t n = q ? (size_t)(q - p) : strlen(p);
			if (n > 0 && json_array_append_new(a, json_stringn(p, n)) != 0) {
				json_decref(a);
				return NULL;
			}
			p += n + (q ? 1 : 0);
		}
		return a;
	}
	case IL_CELL_TEXT:
		break;
	}
	return json_string(s);
}

static int jsonl_writer_row(struct il_writer *w, const char *const *values)
{
	struct jsonl_writer *jw = w->state;
	json_t *obj = json_object();
	int rc = IL_OK;
	if (!obj)
		return IL_ENOMEM;
	for (size_t i = 0; i < w->ncols; i++) {
		if (!values[i])
			continue;
		json_t *v = cell_json(il__io_col_type(w, i), values[i]);
		if (!v || json_object_set_new(obj, w->headers[i], v) != 0) {
			rc = IL_ENOMEM;
			goto out;
		}
	}
	if (json_dumpf(obj, jw->fp, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', jw->fp) == EOF)
		rc = il_error_set(IL_EIO, "%s: write failed: %s", w->path, strerror(errno));
out:
	json_decref(obj);
	return rc;
}

static int jsonl_writer_close(struct il_writer *w)
{
	struct jsonl_writer *jw = w->state;
	int rc = IL_OK;
	if (fflush(jw->fp) != 0 || ferror(jw->fp))
		rc = il_error_set(IL_EIO, "%s: write failed: %s", w->path, strerror(errno));
	if (fclose(jw->fp) != 0 && rc == IL_OK)
		rc = il_error_set(IL_EIO, "%s: close failed: %s", w->path, strerror(errno));
	free(jw);
	return rc;
}

static const struct il__io_writer_ops jsonl_writer_ops = {jsonl_writer_row, jsonl_writer_close};

int il__io_jsonl_writer_open(struct il_writer *w)
{
	struct jsonl_writer *jw = il_calloc(1, sizeof(*jw));
	if (!jw)
		return IL_ENOMEM;
	jw->fp = fopen(w->path, "wb");
	if (!jw->fp) {
		free(jw);
		return il_error_set(IL_EIO, "cannot create %s: %s", w->path, strerror(errno));
	}
	w->ops = &jsonl_writer_ops;
	w->state = jw;
	return IL_OK;
}
