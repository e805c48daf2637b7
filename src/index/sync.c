/*
 * sync.c - il_index_catch_up: the index brought up to date from the
 * store's change log.
 *
 * The log says which records changed, not what they became, so a change
 * is applied by reading the record as it stands now: a searchable record
 * that exists is put (through build.c's il__index_put_record, so it
 * becomes the very document a build would make), one that is gone is
 * deleted.  That makes every step idempotent and order-insensitive within
 * a batch: replaying a change, or seeing a write both in a build and in
 * the log after it, changes nothing, and a record changed many times is
 * put once per batch.
 *
 * Work goes in batches of BATCH changes:
 *   1. walk the log after *seq and copy the batch out (kind, id, deleted),
 *      stopping the walk when the batch is full, so the store is never
 *      read from inside its own walk and memory stays bounded;
 *   2. turn changes into targets, one per distinct (kind, id): a
 *      searchable or region record is its own target; an assignment
 *      targets the records it places in any of its versions
 *      (il_store_history), so both the entity it now places and one it
 *      used to place are re-put;
 *   3. apply each target; the assignments are loaded (il__places_load)
 *      the first time a batch puts a document, after the batch was read,
 *      so they are at least as new as every change in it; a later
 *      assignment change re-puts its records in a later batch.
 * *seq then moves to the batch's last change.
 *
 * The store has no index on assignment.entity, so loading every placement
 * once per batch costs no more than asking for one record's placements.
 *
 * Depends on: base, model, store, index_internal.h (build.c's helpers).
 */
#include "index/index_internal.h"

#include <stdlib.h>
#include <string.h>

#define BATCH 4096 /* changes read per walk of the log */
#define BATCH_FULL (-1) /* not an error code: stops the walk when a batch is full */
#define COPY_ID SIZE_MAX /* add_target: the id is not in the pool yet */

struct change {
	int64_t seq;
	size_t id; /* offset of the id in the pool */
	enum il_kind kind;
};

struct target {
	size_t id; /* offset in the pool */
	enum il_kind kind;
};

struct sync {
	struct il_index *ix;
	struct il_store *s;
	struct il_buf pool; /* NUL-ended ids of the batch */
	struct change *ch;
	size_t nch;
	struct target *tg;
	size_t ntg, captg;
	struct il_strmap seen; /* kind byte + id -> target index */
	struct il__places places;
	bool placed; /* places loaded for this batch */
	struct il_record rec;
	bool have_rec;
};

static int add_id(struct sync *y, const char *id, size_t *off)
{
	*off = y->pool.len;
	return il_buf_add(&y->pool, id, strlen(id) + 1);
}

static int on_change(const struct il_change *c, void *vctx)
{
	struct sync *y = vctx;
	struct change *ch = &y->ch[y->nch];
	int rc;
	if ((rc = add_id(y, c->id, &ch->id)) != IL_OK)
		return rc;
	ch->seq = c->seq;
	ch->kind = c->kind;
	return ++y->nch == BATCH ? BATCH_FULL : IL_OK;
}

/* Adds (kind, id) as a target unless the batch has it already.  `off` is
 * where id already lies in the pool, or COPY_ID to copy it there (an id
 * inside the pool cannot be copied into it: the pool may move). */
static int add_target(struct sync *y, enum il_kind kind, const char *id, size_t off)
{
	char key[IL_INDEX_MAX_ID + 2];
	size_t len = strlen(id);
	int rc;
	if (!il_index_kind_searchable(kind) && kind != IL_KIND_REGION)
		return IL_OK;
	if (len == 0 || len > IL_INDEX_MAX_ID)
		return IL_OK; /* no document can have such an id */
	key[0] = (char)kind;
	memcpy(key + 1, id, len);
	if (il_strmap_get(&y->seen, key, len + 1) >= 0)
		return IL_OK;
	if ((rc = il_strmap_put(&y->seen, key, len + 1, (int64_t)y->ntg, NULL)) != IL_OK)
		return rc;
	if (y->ntg == y->captg) {
		size_t ncap = y->captg ? y->captg * 2 : 256, bytes;
		struct target *nt;
		if (!il_size_mul(ncap, sizeof(*nt), &bytes) || !(nt = il_realloc(y->tg, bytes)))
			return il_error_set(IL_ENOMEM, "index: out of memory catching up");
		y->tg = nt;
		y->captg = ncap;
	}
	y->tg[y->ntg].kind = kind;
	y->tg[y->ntg].id = off;
	if (off == COPY_ID && (rc = add_id(y, id, &y->tg[y->ntg].id)) != IL_OK)
		return rc;
	y->ntg++;
	return IL_OK;
}

/* Each version of an assignment targets the record it places. */
static int on_assignment_version(const struct il_record *r, void *vctx)
{
	struct sync *y = vctx;
	const char *ek = il_record_get(r, "entity_kind"), *ent = il_record_get(r, "entity");
	enum il_kind kind;
	if (!ek || !ent || il_kind_parse(ek, &kind) != IL_OK) {
		il_error_clear();
		return IL_OK;
	}
	return add_target(y, kind, ent, COPY_ID);
}

static int targets_of(struct sync *y, const struct change *c)
{
	char *id;
	int rc;
	if (c->kind != IL_KIND_ASSIGNMENT)
		return add_target(y, c->kind, y->pool.ptr + c->id, c->id);
	/* the walk below adds to the pool, which may move: keep the id apart */
	if (!(id = il_strdup(y->pool.ptr + c->id)))
		return il_error_set(IL_ENOMEM, "index: out of memory catching up");
	rc = il_store_history(y->s, IL_KIND_ASSIGNMENT, id, on_assignment_version, y);
	if (rc == IL_ENOTFOUND) { /* no version left to say what it placed */
		il_error_clear();
		rc = IL_OK;
	}
	free(id);
	return rc;
}

static void drop_record(struct sync *y)
{
	if (y->have_rec) {
		il_record_release(&y->rec);
		y->have_rec = false;
	}
}

static int apply(struct sync *y, const struct target *t)
{
	const char *id = y->pool.ptr + t->id;
	int rc = il_store_get(y->s, t->kind, id, &y->rec);
	if (rc == IL_ENOTFOUND) {
		il_error_clear();
		if (t->kind == IL_KIND_REGION)
			return IL_OK; /* documents name regions; nothing indexes the region itself */
		rc = il_index_delete(y->ix, t->kind, id);
		if (rc == IL_ENOTFOUND) {
			il_error_clear();
			rc = IL_OK;
		}
		return rc;
	}
	if (rc != IL_OK)
		return rc;
	y->have_rec = true;
	if (t->kind == IL_KIND_REGION) {
		rc = il__index_put_region(y->ix, &y->rec);
		if (rc == IL_EINVAL) {
			/* a parent the tree refuses (a cycle while several regions
			 * move): the tree keeps the old one until a rebuild, and the
			 * index stays usable */
			il_error_clear();
			rc = IL_OK;
		}
	} else {
		if (!y->placed) {
			rc = il__places_load(&y->places, y->s);
			y->placed = rc == IL_OK;
		}
		if (rc == IL_OK)
			rc = il__index_put_record(y->ix, &y->places, &y->rec);
	}
	drop_record(y);
	return rc;
}

/* Forgets one batch, keeping the memory that can be reused. */
static void next_batch(struct sync *y)
{
	il_buf_reset(&y->pool);
	y->nch = 0;
	y->ntg = 0;
	il_strmap_release(&y->seen);
	il_strmap_init(&y->seen);
	il__places_release(&y->places);
	il__places_init(&y->places);
	y->placed = false;
}

int il_index_catch_up(struct il_index *ix, struct il_store *s, int64_t *seq)
{
	struct sync y;
	int64_t last = 0;
	int rc;
	if (!ix || !s || !seq)
		return il_error_set(IL_EINVAL, "il_index_catch_up: missing argument");
	/* Every change up to `last` is committed before the walks start, so
	 * they see it; `last` also lets *seq pass changes of kinds this
	 * version does not know, which the walk leaves out. */
	if ((rc = il_store_last_change(s, &last)) != IL_OK)
		return rc;
	if (*seq > last)
		return il_error_set(IL_ECONFLICT,
				    "the index reflects change %lld but the store's last change is "
				    "%lld: it was not made from this database",
				    (long long)*seq, (long long)last);
	memset(&y, 0, sizeof(y));
	y.ix = ix;
	y.s = s;
	il_buf_init(&y.pool, 0);
	il_strmap_init(&y.seen);
	il__places_init(&y.places);
	if (!(y.ch = il_malloc(BATCH * sizeof(*y.ch)))) {
		rc = il_error_set(IL_ENOMEM, "index: out of memory catching up");
		goto cleanup;
	}
	for (;;) {
		rc = il_store_changes(s, *seq, on_change, &y);
		if (rc == BATCH_FULL)
			rc = IL_OK;
		for (size_t i = 0; i < y.nch && rc == IL_OK; i++)
			rc = targets_of(&y, &y.ch[i]);
		for (size_t i = 0; i < y.ntg && rc == IL_OK; i++)
			rc = apply(&y, &y.tg[i]);
		if (rc != IL_OK)
			break;
		if (y.nch)
			*seq = y.ch[y.nch - 1].seq;
		if (y.nch < BATCH)
			break;
		next_batch(&y);
	}
	if (rc == IL_OK && *seq < last)
		*seq = last;

cleanup:
	drop_record(&y);
	il__places_release(&y.places);
	il_strmap_release(&y.seen);
	il_buf_release(&y.pool);
	free(y.tg);
	free(y.ch);
	return rc;
}
