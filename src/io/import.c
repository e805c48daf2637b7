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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_REPORTED 1000

enum col_role { COL_FIELD, COL_ID, COL_DEMO, COL_IGNORED };

struct colmap {
	enum col_role role;
	size_t field;
};

struct deferred;

struct import_run {
	struct il_store *s;
	const struct il_import_opts *o;
	struct il_import_stats *st;
	const char *source_prefix; /* "import:file.csv", before each row's line */
	size_t source_len;
	struct il_strmap seen; /* id -> line, to catch an id given twice */
	struct deferred *deferred; /* rows whose reference may come later */
	size_t ndeferred;
	struct il_writer *rejects;
	const char **reject_headers;
	size_t reject_cols;
	int first_error;
	char first_detail[1024];
};

static bool ignored_header(const char *h)
{
	static const char *const ignored[] = {"序号",   "No.",     "No",         "#",
					      "kind",   "version", "created_at", "updated_at",
					      "source", NULL};
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
					    "fields %s')",
					    name, h, k->name, k->name);
		}
	}
	return IL_OK;
}

/* An id for a row that has none, stable across imports of the same sheet:
 * the kind's prefix and a hash of its title and owner (or region), and of
 * its period for the kinds that have one (an indicator's rows differ only
 * there). */
static int derive_id(struct il_record *r)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	const char *parts[4] = {r->values[k->title_field], il_record_get(r, "owner"),
				il_record_get(r, "region"), il_record_get(r, "period")};
	uint64_t h = 1469598103934665603ull;
	char id[64];
	if (!parts[0])
		return il_error_set(IL_EINVAL, "field 'id': missing, and no %s to derive one from",
				    k->fields[k->title_field].name);
	for (size_t i = 0; i < 4; i++) {
		if (i == 3 && !parts[3])
			break; /* ids of kinds without a period stay as they were */
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

/* The same id twice in one file is a mistake in the sheet, not an update:
 * which row should win is not ours to guess. */
static int check_repeat(struct import_run *run, const struct il_record *r, size_t line)
{
	int64_t first;
	int rc = il_strmap_put(&run->seen, r->id, strlen(r->id), (int64_t)line, &first);
	if (rc)
		return rc;
	if (first >= 0) {
		il_strmap_put(&run->seen, r->id, strlen(r->id), first, NULL);
		return il_error_set(IL_EINVAL,
				    "field 'id': value '%s' repeats the row at line %lld", r->id,
				    (long long)first);
	}
	return IL_OK;
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

/* In --skip-invalid mode each row runs in a savepoint, so a row that fails
 * half-way through its writes leaves nothing behind.  Otherwise a failure
 * dooms the file to roll back anyway, but the rows after it are still put,
 * so that every bad row is reported. */
static int put_row(struct import_run *run, struct il_record *r, const char *source,
		   enum il_put_result *res)
{
	if (!(run->o->flags & IL_IMPORT_SKIP_INVALID))
		return il_store_put(run->s, r, 0, source, res);
	int rc = il_store_savepoint(run->s);
	if (rc)
		return rc;
	rc = il_store_put(run->s, r, 0, source, res);
	int rc2 = rc ? il_store_rollback_to(run->s) : il_store_release(run->s);
	return rc2 && !row_error(rc2) ? rc2 : rc;
}

static bool refers_to_own_kind(const struct il_record *r)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	for (size_t i = 0; i < k->nfields; i++)
		if (k->fields[i].type == IL_FT_REF && k->fields[i].ref == r->kind && r->values[i])
			return true;
	return false;
}

/* A row kept for a second try: the record and a copy of the row as read. */
struct deferred {
	struct il_record r;
	char *source;
	struct il_row row;
	char **cells; /* keys then values, owned */
	size_t *lens;
	char *where;
};

static void deferred_release(struct deferred *d)
{
	il_record_release(&d->r);
	for (size_t i = 0; d->cells && i < 2 * d->row.ncells; i++)
		free(d->cells[i]);
	free(d->cells);
	free(d->lens);
	free(d->where);
	free(d->source);
}

/* Takes ownership of *r. */
static int defer_row(struct import_run *run, struct il_record *r, const char *source,
		     const struct il_row *row)
{
	struct deferred *grown = il_realloc(run->deferred, (run->ndeferred + 1) * sizeof(*grown));
	if (!grown) {
		il_record_release(r);
		return IL_ENOMEM;
	}
	run->deferred = grown;
	struct deferred *d = &run->deferred[run->ndeferred++];
	memset(d, 0, sizeof(*d));
	d->r = *r;
	d->row = *row;
	d->cells = il_calloc(2 * row->ncells + 1, sizeof(char *));
	d->lens = il_calloc(row->ncells + 1, sizeof(size_t));
	d->where = il_strdup(row->where);
	d->source = il_strdup(source);
	if (!d->cells || !d->lens || !d->where || !d->source)
		return IL_ENOMEM;
	for (size_t i = 0; i < row->ncells; i++) {
		if (!(d->cells[i] = il_strdup(row->keys[i])) ||
		    !(d->cells[row->ncells + i] = il_strndup(row->values[i], row->lens[i])))
			return IL_ENOMEM;
		d->lens[i] = row->lens[i];
	}
	d->row.keys = (const char *const *)d->cells;
	d->row.values = (const char *const *)d->cells + row->ncells;
	d->row.lens = d->lens;
	d->row.where = d->where;
	return IL_OK;
}

/* Puts the deferred rows again until a pass makes no progress; what is left
 * refers to something that really is not there. */
static int retry_deferred(struct import_run *run)
{
	int rc = IL_OK;
	for (bool progress = true; progress && run->ndeferred && !rc;) {
		progress = false;
		for (size_t i = 0; i < run->ndeferred && !rc; i++) {
			struct deferred *d = &run->deferred[i];
			enum il_put_result res;
			if (!d->source)
				continue;
			rc = put_row(run, &d->r, d->source, &res);
			if (rc == IL_ENOTFOUND) {
				rc = IL_OK;
				continue;
			}
			if (!rc)
				count(run->st, res);
			else if (row_error(rc))
				rc = reject_row(run, &d->row, rc);
			free(d->source);
			d->source = NULL; /* done */
			progress = true;
		}
	}
	for (size_t i = 0; i < run->ndeferred; i++) {
		struct deferred *d = &run->deferred[i];
		if (!rc && d->source) {
			enum il_put_result res;
			/* once more, to have its error detail */
			rc = put_row(run, &d->r, d->source, &res);
			rc = rc && row_error(rc) ? reject_row(run, &d->row, rc) : rc;
		}
		deferred_release(d);
	}
	free(run->deferred);
	run->deferred = NULL;
	run->ndeferred = 0;
	return rc;
}

/* The keys of a row, NUL-separated, so the next row's can be compared. */
static int remember_keys(struct il_buf *b, const struct il_row *row)
{
	int rc = IL_OK;
	il_buf_reset(b);
	for (size_t i = 0; i < row->ncells && !rc; i++)
		rc = il_buf_add(b, row->keys[i], strlen(row->keys[i]) + 1);
	return rc;
}

static bool same_keys(const struct il_buf *b, const struct il_row *row)
{
	const char *p = b->ptr, *end = b->ptr + b->len;
	for (size_t i = 0; i < row->ncells; i++) {
		size_t n = strlen(row->keys[i]) + 1;
		if (!p || (size_t)(end - p) < n || memcmp(p, row->keys[i], n) != 0)
			return false;
		p += n;
	}
	return p == end;
}

/*
 * Rows are read and checked on a second thread while this one writes them:
 * parsing, validation and canonical forms (over 40% of an import's
 * work) overlap the database work.  The reader fills batches of rows that
 * go round a ring of NBATCH between the threads, so memory stays bounded
 * whatever the file's size.  A ring rather than two batches taking turns:
 * on a busy machine either thread may wait a while for a processor, and
 * the other keeps going meanwhile instead of stopping at the first batch.
 */
#define BATCH_ROWS 256
#define NBATCH 8

struct slot {
	struct il_record r; /* filled; released by the writer */
	bool filled; /* r was initialised */
	int rc; /* a row error found while reading, 0 if none */
	const char *detail; /* its detail */
	const char *source; /* provenance "import:file:line" */
	struct il_row row; /* a copy, for reports and rejects */
};

struct batch {
	struct slot slot[BATCH_ROWS];
	size_t n;
	int fatal; /* the reader cannot go on (bad header, broken file) */
	const char *fatal_detail;
	bool last;
	double progress;
	struct il_arena arena; /* the copies, freed when the batch is reused */
	const char **keys; /* the copy of the header the batch's rows share */
};

struct pipe {
	struct import_run *run;
	struct il_reader *rd;
	const char *name;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct batch batch[NBATCH];
	bool full[NBATCH]; /* batch i holds rows for the writer */
	bool stop; /* the writer gave up: the reader ends */
};

static const char *arena_copy(struct il_arena *a, const char *s, size_t len)
{
	return il_arena_strndup(a, s, len);
}

/* Copies a row into the batch arena; false on exhaustion.  The keys are
 * copied once per batch and header (b->keys, cleared when they change). */
static bool copy_row(struct batch *b, const struct il_row *in, struct il_row *out)
{
	struct il_arena *a = &b->arena;
	size_t n = in->ncells ? in->ncells : 1;
	const char **vals = il_arena_alloc(a, n * sizeof(char *));
	size_t *lens = il_arena_alloc(a, n * sizeof(size_t));
	if (!vals || !lens || !(out->where = arena_copy(a, in->where, strlen(in->where))))
		return false;
	if (!b->keys) {
		if (!(b->keys = il_arena_alloc(a, n * sizeof(char *))))
			return false;
		for (size_t i = 0; i < in->ncells; i++)
			if (!(b->keys[i] = arena_copy(a, in->keys[i], strlen(in->keys[i]))))
				return false;
	}
	for (size_t i = 0; i < in->ncells; i++) {
		if (!(vals[i] = arena_copy(a, in->values[i], in->lens[i])))
			return false;
		lens[i] = in->lens[i];
	}
	out->ncells = in->ncells;
	out->keys = b->keys;
	out->values = vals;
	out->lens = lens;
	out->line = in->line;
	return true;
}

/* "import:file.csv:12", the provenance of the row at `line`. */
static const char *source_of(struct il_arena *a, const struct import_run *run, size_t line)
{
	char digits[24];
	size_t n = sizeof(digits);
	do {
		digits[--n] = (char)('0' + line % 10);
		line /= 10;
	} while (line);
	char *out = il_arena_alloc(a, run->source_len + 1 + sizeof(digits) - n + 1);
	if (!out)
		return NULL;
	memcpy(out, run->source_prefix, run->source_len);
	out[run->source_len] = ':';
	memcpy(out + run->source_len + 1, digits + n, sizeof(digits) - n);
	out[run->source_len + 1 + sizeof(digits) - n] = '\0';
	return out;
}

struct reader_state {
	struct colmap *map;
	struct il_buf mapped; /* the keys `map` was made for */
	bool any;
};

/* Reads and checks one row into a slot.  Returns non-zero only when the
 * reader cannot go on; a bad row is recorded in the slot. */
static int read_slot(struct pipe *p, struct reader_state *rs, struct batch *b,
		     const struct il_row *row)
{
	struct import_run *run = p->run;
	const struct il_kind_info *k = il_kind_info(run->o->kind);
	struct slot *sl = &b->slot[b->n];
	int rc;
	memset(sl, 0, sizeof(*sl));
	/* CSV and XLSX rows share one header; each JSON line has its own keys */
	if (!rs->map || !same_keys(&rs->mapped, row)) {
		b->keys = NULL;
		free(rs->map);
		if (!(rs->map = il_calloc(row->ncells ? row->ncells : 1, sizeof(*rs->map))))
			return IL_ENOMEM;
		if ((rc = map_header(k, row, rs->map, row->where)) != 0 ||
		    (rc = remember_keys(&rs->mapped, row)) != 0)
			return rc;
	}
	rs->any = true;
	if (!copy_row(b, row, &sl->row) || !(sl->source = source_of(&b->arena, run, row->line)))
		return IL_ENOMEM;
	if ((rc = il_record_init(&sl->r, run->o->kind)) != 0)
		return rc;
	sl->filled = true;
	rc = fill_record(row, rs->map, &sl->r, run->o->flags & IL_IMPORT_DEMO);
	if (!rc)
		rc = check_repeat(run, &sl->r, row->line);
	if (rc && !row_error(rc)) {
		il_record_release(&sl->r);
		sl->filled = false;
		return rc;
	}
	if (rc) {
		const char *d = il_error_detail(rc);
		sl->rc = rc;
		if (!(sl->detail = arena_copy(&b->arena, d, strlen(d))))
			return IL_ENOMEM;
	}
	b->n++;
	return IL_OK;
}

/* The records of a batch the writer is done with.  They are released on
 * the thread that made them, where freeing is cheaper, and off the
 * writer's path. */
static void release_slots(struct batch *b)
{
	for (size_t j = 0; j < b->n; j++)
		if (b->slot[j].filled) {
			il_record_release(&b->slot[j].r);
			b->slot[j].filled = false;
		}
	b->n = 0;
}

static void *reader_main(void *arg)
{
	struct pipe *p = arg;
	struct reader_state rs = {NULL, IL_BUF_INIT, false};
	bool done = false;
	for (int i = 0; !done; i = (i + 1) % NBATCH) {
		struct batch *b = &p->batch[i];
		pthread_mutex_lock(&p->lock);
		while (p->full[i] && !p->stop)
			pthread_cond_wait(&p->cond, &p->lock);
		bool stop = p->stop;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			break;
		release_slots(b);
		il_arena_release(&b->arena);
		b->keys = NULL;
		b->fatal = 0;
		b->last = false;
		int rc = IL_OK;
		while (b->n < BATCH_ROWS) {
			struct il_row row;
			if ((rc = il_reader_next(p->rd, &row, &done)) != 0 || done)
				break;
			if ((rc = read_slot(p, &rs, b, &row)) != 0)
				break;
		}
		if (!rc && done && !rs.any)
			rc = il_error_set(IL_EFORMAT, "%s: no header row: the file is empty",
					  p->name);
		if (rc) {
			const char *d = il_error_detail(rc);
			b->fatal = rc;
			b->fatal_detail = arena_copy(&b->arena, d, strlen(d));
			done = true;
		}
		b->last = done;
		b->progress = il_reader_progress(p->rd);
		pthread_mutex_lock(&p->lock);
		p->full[i] = true;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
	free(rs.map);
	il_buf_release(&rs.mapped);
	return NULL;
}

/* What the store copied into a record it wrote: the stored row's times and
 * source.  Freed on this thread, which allocated them; the reader would
 * free them under the lock of this thread's malloc arena. */
static void drop_meta(struct il_record *r)
{
	free(r->created_at);
	free(r->updated_at);
	free(r->source);
	r->created_at = r->updated_at = r->source = NULL;
}

/* Writes one slot's record; the reader releases it when it reuses the
 * slot, unless a deferred row takes it. */
static int write_slot(struct import_run *run, struct slot *sl)
{
	enum il_put_result res;
	int rc = sl->rc;
	if (rc) {
		il_error_set(rc, "%s", sl->detail ? sl->detail : il_strerror(rc));
	} else {
		rc = put_row(run, &sl->r, sl->source, &res);
		if (rc == IL_ENOTFOUND && refers_to_own_kind(&sl->r)) {
			/* it may name a row further down the same file: try again
			 * once the whole file has been read */
			sl->filled = false;
			return defer_row(run, &sl->r, sl->source, &sl->row);
		}
		drop_meta(&sl->r);
	}
	if (rc && row_error(rc))
		return reject_row(run, &sl->row, rc);
	if (!rc)
		count(run->st, res);
	return rc;
}

static int import_rows(struct import_run *run, struct il_reader *rd, const char *name)
{
	struct pipe *p = il_calloc(1, sizeof(*p)); /* a ring of batches: too big for the stack */
	pthread_t reader;
	int rc = IL_OK;
	if (!p)
		return IL_ENOMEM;
	p->run = run;
	p->rd = rd;
	p->name = name;
	for (int i = 0; i < NBATCH; i++)
		il_arena_init(&p->batch[i].arena, 256 * 1024, 0);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	if (pthread_create(&reader, NULL, reader_main, p) != 0) {
		rc = il_error_set(IL_ENOMEM, "cannot start the reading thread");
		goto out;
	}
	for (int i = 0;; i = (i + 1) % NBATCH) {
		struct batch *b = &p->batch[i];
		pthread_mutex_lock(&p->lock);
		while (!p->full[i])
			pthread_cond_wait(&p->cond, &p->lock);
		pthread_mutex_unlock(&p->lock);
		for (size_t j = 0; j < b->n; j++) {
			run->st->rows++;
			if (!rc)
				rc = write_slot(run, &b->slot[j]);
		}
		if (!rc && b->fatal)
			rc = il_error_set(b->fatal, "%s",
					  b->fatal_detail ? b->fatal_detail
							  : il_strerror(b->fatal));
		if (!rc && run->o->progress)
			run->o->progress(b->progress, run->st->rows, run->o->ctx);
		bool last = b->last;
		pthread_mutex_lock(&p->lock);
		p->full[i] = false;
		if (rc)
			p->stop = true;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
		if (last || rc)
			break;
	}
	pthread_join(reader, NULL);
	for (int i = 0; i < NBATCH; i++)
		release_slots(&p->batch[i]);
	if (!rc)
		rc = retry_deferred(run);
	if (!rc && run->o->progress)
		run->o->progress(1.0, run->st->rows, run->o->ctx);
out:
	for (int i = 0; i < NBATCH; i++)
		il_arena_release(&p->batch[i].arena);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p);
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
	il_strmap_init(&run.seen);
	run.s = s;
	run.o = o;
	run.st = st;
	if ((rc = il_buf_addf(&prefix, "%s", o->source ? o->source : "import:")) != 0 ||
	    (!o->source && (rc = il_buf_adds(&prefix, base_name(path))) != 0))
		goto out;
	run.source_prefix = il_buf_cstr(&prefix);
	run.source_len = prefix.len;
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
	il_strmap_release(&run.seen);
	il_reader_close(rd);
	il_buf_release(&prefix);
	return rc;
}

/* Files this large are imported in the store's bulk mode (il_store_begin_bulk):
 * it writes half as much, but processes that open the database meanwhile wait
 * for the import, which they would hardly notice for a smaller file. */
#define BULK_BYTES (16 << 20)

static bool is_large(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && sb.st_size >= BULK_BYTES;
}

int il_import_file(struct il_store *s, const char *path, const struct il_import_opts *o,
		   struct il_import_stats *st)
{
	int first_error = 0, rc;
	char first_detail[1024] = "";
	memset(st, 0, sizeof(*st));
	rc = is_large(path) ? il_store_begin_bulk(s, o->kind) : il_store_begin(s);
	if (rc)
		return rc;
	rc = import_one(s, path, o, st, &first_error, first_detail, sizeof(first_detail));
	if (!rc && first_error && !(o->flags & IL_IMPORT_SKIP_INVALID)) {
		il_store_rollback(s);
		return il_error_set(first_error, "%s (%zu bad row%s; nothing was imported)",
				    first_detail, st->rejected, st->rejected == 1 ? "" : "s");
	}
	if (rc || (o->flags & IL_IMPORT_DRY_RUN)) {
		il_store_rollback(s);
		return rc;
	}
	return il_store_commit(s);
}

/* Demo files are loaded in the order that lets every reference resolve. */
static const enum il_kind demo_order[] = {
	IL_KIND_REGION, IL_KIND_ORGANIZATION, IL_KIND_PERSON,     IL_KIND_CHAIN,
	IL_KIND_LINK,   IL_KIND_ACHIEVEMENT,  IL_KIND_DEMAND,     IL_KIND_INDICATOR,
	IL_KIND_EVENT,  IL_KIND_DEAL,         IL_KIND_ASSIGNMENT, IL_KIND_MATCH,
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
	if (*n > 1)
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
			progress((double)(i + 1) /
					 (double)(sizeof(demo_order) / sizeof(demo_order[0])),
				 st->rows, ctx);
	}
	if (!rc && first_error)
		rc = il_error_set(first_error, "demo data: %s", first_detail);
	if (rc) {
		il_store_rollback(s);
		return rc;
	}
	return il_store_commit(s);
}
