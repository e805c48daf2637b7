/*
 * export.c - records of a query into a table file.
 *
 * The columns are exactly what import reads: id, each field of the kind in
 * table order, demo.  Values are written in canonical form, so an exported
 * file imported again finds every record unchanged (tested as a round trip
 * in all three formats).
 */
#include <innolink/io.h>

#include <stdlib.h>
#include <string.h>

struct export_run {
	struct il_writer *w;
	const char **vals;
	size_t ncols;
	size_t count;
};

static enum il_cell_type cell_type(const struct il_field *f)
{
	switch (f->type) {
	case IL_FT_INT:
	case IL_FT_REAL:
		return IL_CELL_NUMBER;
	case IL_FT_BOOL:
		return IL_CELL_BOOL;
	case IL_FT_LIST:
		return IL_CELL_LIST;
	default:
		return IL_CELL_TEXT;
	}
}

static int write_record(const struct il_record *r, void *ctx)
{
	struct export_run *run = ctx;
	const struct il_kind_info *k = il_kind_info(r->kind);
	run->vals[0] = r->id;
	for (size_t i = 0; i < k->nfields; i++)
		run->vals[i + 1] = r->values[i];
	run->vals[k->nfields + 1] = r->demo ? "1" : "0";
	run->count++;
	return il_writer_row(run->w, run->vals);
}

int il_export_file(struct il_store *s, const char *path, const struct il_export_opts *o,
		   size_t *count)
{
	const struct il_kind_info *k = il_kind_info(o->query.kind);
	struct export_run run;
	const char **headers = NULL;
	enum il_cell_type *types = NULL;
	enum il_format fmt = o->format == IL_FMT_AUTO ? il_format_from_path(path) : o->format;
	int rc;
	memset(&run, 0, sizeof(run));
	if (!k)
		return il_error_set(IL_EINVAL, "unknown kind");
	run.ncols = k->nfields + 2;
	headers = il_calloc(run.ncols, sizeof(*headers));
	types = il_calloc(run.ncols, sizeof(*types));
	run.vals = il_calloc(run.ncols, sizeof(*run.vals));
	if (!headers || !types || !run.vals) {
		rc = IL_ENOMEM;
		goto out;
	}
	headers[0] = o->zh_headers ? "编号" : "id";
	types[0] = IL_CELL_TEXT;
	for (size_t i = 0; i < k->nfields; i++) {
		headers[i + 1] = o->zh_headers ? k->fields[i].zh : k->fields[i].name;
		types[i + 1] = cell_type(&k->fields[i]);
	}
	headers[run.ncols - 1] = o->zh_headers ? "演示数据" : "demo";
	types[run.ncols - 1] = IL_CELL_BOOL;
	rc = il_writer_open(path, fmt, o->encoding, o->zh_headers ? k->zh : k->name, run.ncols,
			    headers, types, &run.w);
	if (rc)
		goto out;
	rc = il_store_list(s, &o->query, write_record, &run, NULL);
	int rc2 = il_writer_close(run.w);
	if (!rc)
		rc = rc2;
	if (count)
		*count = run.count;
out:
	free(headers);
	free(types);
	free(run.vals);
	return rc;
}
