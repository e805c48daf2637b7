/*
 * import.c - rows of a table file into records of a kind, into the store.
 *
 * The header row is mapped onto the kind's fields once; each row then fills
 * a record through il_record_set (which validates and canonicalises) and
 * goes to il_store_put (which resolves references and versions).  Errors
 * are reported with the row's `where` ("orgs.csv:12") in front of the
 * record layer's detail ("field 'founded': value '2024-13-01' is not a
 * valid calendar date"), so a person can go straight to the cell.
 *
 * Transactions: the whole file is one transaction.  With --skip-invalid
 * each row runs inside a savepoint, so a row that fails half-way through
 * its writes leaves nothing behind; without it the first failure dooms the
 * file anyway, so rows after it are only checked, never committed.
 */
#include <innolink/io.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_REPORTED 1000

enum col_role { COL_FIELD, COL_ID, COL_DEMO, COL_IGNORED };

struct colmap {
	enum col_role role;
	size_t field;
};

struct import_run {
	struct il_store *s;
	const struct il_import_opts *o;
	struct il_import_stats *st;
	const char *source_prefix;
	struct il_writer *rejects;
	const char **reject_headers;
	size_t reject_cols;
	int first_error;
	char first_detail[1024];
};

static bool ignored_header(const char *h)
{
	static const char *const ignored[] = {"序号", "No.", "No", "#", "kind", "version",
					      "created_at", "updated_at", "source", NULL};
	for (size_t i = 0; ignored[i]; i++)
		if (strcmp(h, ignored[i]) == 0)
			return true;
	return false;
}

static int map_header(const struct il_kind_info *k, const struct il_row *row, struct colmap *map,
		      const char *name)
{
	for (size_t i = 0; i < row->ncells; i++) {
		const char *h = row->keys[i];
		int f;
		if (strcmp(h, "id") == 0 || strcmp(h, "编号") == 0 || strcmp(h, "外部编号") == 0) {
			map[i].role = COL_ID;
		} else if (strcmp(h, "demo") == 0 || strcmp(h, "演示数据") == 0) {
			map[i].role = COL_DEMO;
		} else if ((f = il_field_find(k, h)) >= 0) {
			map[i].role = COL_FIELD;
			map[i].field = (size_t)f;
		} else if (ignored_header(h)) {
			map[i].role = COL_IGNORED;
		} else {
			return il_error_set(IL_EFORMAT,
					    "%s: column '%s' is not a field of %s (see 'innolink "
					    "import --help-fields %s')",
					    name, h, k->name, k->name);
		}
	}
	return IL_OK;
}

/* An id for a row that has none, stable across imports of the same sheet:
 * the kind's prefix and a hash of its title and owner (or region). */
static int derive_id(struct il_record *r)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	const char *parts[3] = {r->values[k->title_field], il_record_get(r, "owner"),
				il_record_get(r, "region")};
	uint64_t h = 1469598103934665603ull;
	char id[64];
	if (!parts[0])
		return il_error_set(IL_EINVAL, "field 'id': missing, and no %s to derive one from",
				    k->fields[k->title_field].name);
	for (size_t i = 0; i < 3; i++) {
		for (const char *p = parts[i]; p && *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		h = (h ^ 0x1f) * 1099511628211ull;
	}
	snprintf(id, sizeof(id), "%s-H%012llx", k->id_prefix,
		 (unsigned long long)(h & 0xffffffffffffull));
	return il_record_set_id(r, id, strlen(id));
}

static int fill_record(const struct il_row *row, const struct colmap *map, struct il_record *r,
		       bool demo)
{
	int rc = IL_OK;
	for (size_t i = 0; i < row->ncells && !rc; i++) {
		switch (map[i].role) {
		case COL_FIELD:
			rc = il_record_set(r, map[i].field, row->values[i], row->lens[i]);
			break;
		case COL_ID:
			if (row->lens[i])
				rc = il_record_set_id(r, row->values[i], row->lens[i]);
			break;
		case COL_DEMO:
			rc = il_record_set_by_name(r, "demo", row->values[i], row->lens[i]);
			break;
		case COL_IGNORED:
			break;
		}
	}
	if (!rc && !r->id)
		rc = derive_id(r);
	if (demo)
		r->demo = true;
	return rc;
}

static int open_rejects(struct import_run *run, const struct il_row *row)
{
	const char **headers = il_calloc(row->ncells + 2, sizeof(char *));
	if (!headers)
		return IL_ENOMEM;
	headers[0] = "where";
	headers[1] = "error";
	for (size_t i = 0; i < row->ncells; i++)
		headers[i + 2] = row->keys[i];
	/* the writer borrows headers for its life: keep them with the run */
	int rc = il_writer_open(run->o->rejects, IL_FMT_CSV, NULL, NULL, row->ncells + 2, headers,
				NULL, &run->rejects);
	if (rc) {
		free(headers);
		return rc;
	}
	run->reject_headers = headers;
	run->reject_cols = row->ncells + 2;
	return IL_OK;
}

static int reject_row(struct import_run *run, const struct il_row *row, int code)
{
	char why[1024];
	snprintf(why, sizeof(why), "%s", il_error_detail(code));
	run->st->rejected++;
	if (!run->first_error) {
		run->first_error = code;
		snprintf(run->first_detail, sizeof(run->first_detail), "%s: %s", row->where, why);
	}
	if (run->o->reject && run->st->rejected <= MAX_REPORTED)
		run->o->reject(row->where, why, run->o->ctx);
	if (!run->o->rejects || !(run->o->flags & IL_IMPORT_SKIP_INVALID))
		return IL_OK;
	if (!run->rejects) {
		int rc = open_rejects(run, row);
		if (rc)
			return rc;
	}
	const char **vals = il_calloc(run->reject_cols, sizeof(char *));
	if (!vals)
		return IL_ENOMEM;
	vals[0] = row->where;
	vals[1] = why;
	for (size_t i = 0; i < row->ncells && i + 2 < run->reject_cols; i++)
		vals[i + 2] = row->values[i];
	int rc = il_writer_row(run->rejects, vals);
	free(vals);
	return rc;
}

static void count(struct il_import_stats *st, enum il_put_result res)
{
	switch (res) {
	case IL_PUT_INSERTED:
		st->inserted++;
		break;
	case IL_PUT_UPDATED:
		st->updated++;
		break;
	case IL_PUT_UNCHANGED:
		st->unchanged++;
		break;
	case IL_PUT_MERGED:
		st->merged++;
		break;
	}
}

/* Input errors of one row are the rejectable ones; anything else (memory,
 * disk, a broken database) stops the import. */
static bool row_error(int rc)
{
	return rc == IL_EINVAL || rc == IL_ENOTFOUND || rc == IL_EENCODING || rc == IL_ECONFLICT;
}

static int import_rows(struct import_run *run, struct il_reader *rd, const char *name)
{
	const struct il_kind_info *k = il_kind_info(run->o->kind);
	const bool skip = run->o->flags & IL_IMPORT_SKIP_INVALID;
	struct colmap *map = NULL;
	struct il_buf source = IL_BUF_INIT;
	struct il_row row;
	bool done = false;
	int rc;
	while (!(rc = il_reader_next(rd, &row, &done)) && !done) {
		struct il_record r;
		enum il_put_result res;
		if (!map) {
			if (!(map = il_calloc(row.ncells ? row.ncells : 1, sizeof(*map))))
				return IL_ENOMEM;
			if ((rc = map_header(k, &row, map, name)) != 0)
				break;
		}
		run->st->rows++;
		if ((rc = il_record_init(&r, run->o->kind)) != 0)
			break;
		il_buf_reset(&source);
		if ((rc = il_buf_addf(&source, "%s:%zu", run->source_prefix, row.line)) != 0) {
			il_record_release(&r);
			break;
		}
		rc = fill_record(&row, map, &r, run->o->flags & IL_IMPORT_DEMO);
		if (!rc && skip && !(rc = il_store_savepoint(run->s))) {
			rc = il_store_put(run->s, &r, 0, il_buf_cstr(&source), &res);
			int rc2 = rc ? il_store_rollback_to(run->s) : il_store_release(run->s);
			if (rc2 && !row_error(rc2))
				rc = rc2;
		} else if (!rc) {
			/* after a bad row the file is doomed to roll back, but the
			 * rows after it are still put, so every bad row is reported */
			rc = il_store_put(run->s, &r, 0, il_buf_cstr(&source), &res);
		}
		il_record_release(&r);
		if (rc && row_error(rc)) {
			rc = reject_row(run, &row, rc);
		} else if (!rc) {
			count(run->st, res);
		}
		if (rc)
			break;
		if (run->o->progress && run->st->rows % 4096 == 0)
			run->o->progress(il_reader_progress(rd), run->st->rows, run->o->ctx);
	}
	if (!rc && !map)
		rc = il_error_set(IL_EFORMAT, "%s: no header row: the file is empty", name);
	if (!rc && run->o->progress)
		run->o->progress(1.0, run->st->rows, run->o->ctx);
	free(map);
	il_buf_release(&source);
	return rc;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* One file inside a transaction the caller holds. */
static int import_one(struct il_store *s, const char *path, const struct il_import_opts *o,
		      struct il_import_stats *st, int *first_error, char *first_detail, size_t dlen)
{
	struct import_run run;
	struct il_reader *rd = NULL;
	struct il_buf prefix = IL_BUF_INIT;
	int rc;
	memset(&run, 0, sizeof(run));
	run.s = s;
	run.o = o;
	run.st = st;
	if ((rc = il_buf_addf(&prefix, "%s", o->source ? o->source : "import:")) != 0 ||
	    (!o->source && (rc = il_buf_adds(&prefix, base_name(path))) != 0))
		goto out;
	run.source_prefix = il_buf_cstr(&prefix);
	if ((rc = il_reader_open(path, o->format, o->encoding, o->sheet, &rd)) != 0)
		goto out;
	rc = import_rows(&run, rd, base_name(path));
	if (!rc && run.first_error) {
		*first_error = run.first_error;
		snprintf(first_detail, dlen, "%s", run.first_detail);
	}
out:
	/* the rejects writer borrows the reader's header names: close it first */
	if (run.rejects) {
		int rc2 = il_writer_close(run.rejects);
		if (!rc)
			rc = rc2;
	}
	free(run.reject_headers);
	il_reader_close(rd);
	il_buf_release(&prefix);
	return rc;
}

int il_import_file(struct il_store *s, const char *path, const struct il_import_opts *o,
		   struct il_import_stats *st)
{
	int first_error = 0, rc;
	char first_detail[1024] = "";
	memset(st, 0, sizeof(*st));
	if ((rc = il_store_begin(s)) != 0)
		return rc;
	rc = import_one(s, path, o, st, &first_error, first_detail, sizeof(first_detail));
	if (!rc && first_error && !(o->flags & IL_IMPORT_SKIP_INVALID)) {
		il_store_rollback(s);
		return il_error_set(first_error, "%s (%zu bad row%s; nothing was imported)",
				    first_detail, st->rejected, st->rejected == 1 ? "" : "s");
	}
	if (rc || (o->flags & IL_IMPORT_DRY_RUN)) {
		char keep[1024];
		snprintf(keep, sizeof(keep), "%s", il_error_detail(rc));
		il_store_rollback(s);
		return rc ? il_error_set(rc, "%s", keep) : IL_OK;
	}
	return il_store_commit(s);
}

/* Demo files are loaded in the order that lets every reference resolve. */
static const enum il_kind demo_order[] = {
	IL_KIND_REGION, IL_KIND_ORGANIZATION, IL_KIND_PERSON,	  IL_KIND_CHAIN,
	IL_KIND_LINK,	IL_KIND_ACHIEVEMENT,  IL_KIND_DEMAND,	  IL_KIND_INDICATOR,
	IL_KIND_EVENT,	IL_KIND_DEAL,	      IL_KIND_ASSIGNMENT, IL_KIND_MATCH,
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted names of the files "<kind>.jsonl" and "<kind>.*.jsonl" in dir. */
static int demo_files(const char *dir, const char *kind, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t klen = strlen(kind);
	*out = NULL;
	*n = 0;
	if (!d)
		return il_error_set(IL_EIO, "cannot open demo data directory '%s'", dir);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len < klen + 6 || strncmp(e->d_name, kind, klen) != 0 ||
		    (e->d_name[klen] != '.') || strcmp(e->d_name + len - 6, ".jsonl") != 0)
			continue;
		char **grown = il_realloc(*out, (*n + 1) * sizeof(char *));
		if (!grown)
			goto nomem;
		*out = grown;
		if (!((*out)[*n] = il_malloc(strlen(dir) + len + 2)))
			goto nomem;
		sprintf((*out)[(*n)++], "%s/%s", dir, e->d_name);
	}
	closedir(d);
	qsort(*out, *n, sizeof(char *), cmp_str);
	return IL_OK;
nomem:
	closedir(d);
	for (size_t i = 0; i < *n; i++)
		free((*out)[i]);
	free(*out);
	*out = NULL;
	return IL_ENOMEM;
}

int il_import_demo(struct il_store *s, const char *dir,
		   void (*progress)(double fraction, size_t rows, void *ctx), void *ctx,
		   struct il_import_stats *st)
{
	int rc, first_error = 0;
	char first_detail[1024] = "";
	memset(st, 0, sizeof(*st));
	if ((rc = il_store_begin(s)) != 0)
		return rc;
	for (size_t i = 0; i < sizeof(demo_order) / sizeof(demo_order[0]) && !rc; i++) {
		struct il_import_opts o;
		char **files;
		size_t n;
		memset(&o, 0, sizeof(o));
		o.kind = demo_order[i];
		o.format = IL_FMT_JSONL;
		o.flags = IL_IMPORT_DEMO;
		o.source = "demo:";
		o.progress = NULL;
		if ((rc = demo_files(dir, il_kind_info(o.kind)->name, &files, &n)) != 0)
			break;
		for (size_t j = 0; j < n; j++) {
			char source[256];
			snprintf(source, sizeof(source), "demo:%s", base_name(files[j]));
			o.source = source;
			if (!rc && !first_error)
				rc = import_one(s, files[j], &o, st, &first_error, first_detail,
						sizeof(first_detail));
			free(files[j]);
		}
		free(files);
		if (progress)
			progress((double)(i + 1) / (double)(sizeof(demo_order) / sizeof(demo_order[0])),
				 st->rows, ctx);
	}
	if (!rc && first_error)
		rc = il_error_set(first_error, "demo data: %s", first_detail);
	if (rc) {
		char keep[1024];
		snprintf(keep, sizeof(keep), "%s", il_error_detail(rc));
		il_store_rollback(s);
		return il_error_set(rc, "%s", keep);
	}
	return il_store_commit(s);
}
