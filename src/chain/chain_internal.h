/*
 * chain_internal.h - what the files of src/chain share: records loaded
 * into arrays, the region tree, and the links of chains in tree order.
 */
#ifndef IL_CHAIN_INTERNAL_H
#define IL_CHAIN_INTERNAL_H

#include <innolink/chain.h>

/* Records copied out of the store, sorted by id. */
struct il__recs {
	struct il_record *r;
	size_t n, cap;
};

void il__recs_release(struct il__recs *v);
/* Appends a copy of every record the query selects.  IL_ESTORE, IL_ENOMEM. */
int il__recs_load(struct il_store *s, const struct il_query *q, struct il__recs *out);
/* qsort comparison of records by id. */
int il__cmp_record_id(const void *a, const void *b);
/* Index of the record with this id (the array is in id order), or -1. */
ptrdiff_t il__recs_find(const struct il__recs *v, const char *id);

/* The region tree: each region's parent, to decide containment. */
struct il__regions {
	struct il__recs all;
	size_t *parent; /* index of the parent in all.r, or SIZE_MAX */
};

int il__regions_load(struct il_store *s, struct il__regions *out);
void il__regions_release(struct il__regions *g);
/* Whether region `id` is `outer` or lies inside it (NULL id: no). */
bool il__regions_within(const struct il__regions *g, const char *id, const char *outer);

/*
 * The links of one chain (or all chains, when chain is NULL) in tree order:
 * chains in id order, then within a chain the segments upstream, midstream,
 * downstream, each top link (by position) followed by its sub-links.
 * IL_ENOTFOUND (chain given but unknown), IL_ESTORE, IL_ENOMEM.
 */
int il__links_in_order(struct il_store *s, const char *chain, struct il__recs *chains,
		       struct il__recs *links);

/* Calls fn for each item of a list value (NULL or empty: none). */
int il__each_item(const char *list, int (*fn)(const char *item, size_t len, void *ctx), void *ctx);
/* Whether the ";"-joined list holds the item. */
bool il__list_has(const char *list, const char *item, size_t len);
/* Appends a ";"-joined list as a JSON array of strings. */
int il__json_list(struct il_buf *out, const char *list);
/* Appends a JSON string, or null for NULL. */
int il__json_str(struct il_buf *out, const char *s);
/* Sticky appends (a no-op once *rc != IL_OK), for long JSON objects:
 * `key` is written as is (",\"name\":"), then the value. */
void il__json_kv(struct il_buf *out, int *rc, const char *key, const char *value);
void il__json_kf(struct il_buf *out, int *rc, const char *fmt, ...) IL_PRINTF(3, 4);

/* The kinds that are placed on links. */
#define IL__PLACED_KINDS                                                                           \
	((1u << IL_KIND_ORGANIZATION) | (1u << IL_KIND_PERSON) | (1u << IL_KIND_ACHIEVEMENT) |     \
	 (1u << IL_KIND_DEMAND))

#endif
