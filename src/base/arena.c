/*
 * arena.c - bump allocation in chained blocks, freed in one go.
 *
 * A request of more than a quarter block gets a block of its own, so one
 * large allocation does not waste the rest of the current block.
 */
#include <innolink/base.h>

#include <stdlib.h>
#include <string.h>

struct il_arena_block {
	struct il_arena_block *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

void il_arena_init(struct il_arena *a, size_t block_size, size_t limit)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : 64 * 1024;
	a->used = 0;
	a->limit = limit;
}

void il_arena_release(struct il_arena *a)
{
	struct il_arena_block *b = a->head;
	while (b) {
		struct il_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used = 0;
}

void *il_arena_alloc(struct il_arena *a, size_t size)
{
	size_t rounded, total;
	if (!il_size_add(size, 15, &rounded))
		return NULL;
	rounded &= ~(size_t)15;
	if (a->limit && (a->used > a->limit || rounded > a->limit - a->used))
		return NULL;
	struct il_arena_block *b = a->head;
	if (!b || b->size - b->used < rounded) {
		bool big = rounded > a->block_size / 4;
		size_t bsize = big ? rounded : a->block_size;
		if (!il_size_add(sizeof(*b), bsize, &total))
			return NULL;
		struct il_arena_block *nb = il_malloc(total);
		if (!nb)
			return NULL;
		nb->size = bsize;
		nb->used = 0;
		if (big && b) {
			/* a block of its own, behind the one still being filled */
			nb->next = b->next;
			b->next = nb;
			nb->used = rounded;
			a->used += rounded;
			return nb->data;
		}
		nb->next = b;
		a->head = b = nb;
	}
	void *p = b->data + b->used;
	b->used += rounded;
	a->used += rounded;
	return p;
}

char *il_arena_strndup(struct il_arena *a, const char *s, size_t len)
{
	char *d = il_arena_alloc(a, len + 1);
	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *il_arena_strdup(struct il_arena *a, const char *s)
{
	return il_arena_strndup(a, s, strlen(s));
}
