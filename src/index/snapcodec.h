/*
 * snapcodec.h - the byte codec of index snapshots (snapshot.c): a writer
 * that appends to a flat array with a sticky error, a bounds-checked
 * reader, 64-bit and zigzag varints, and runs of uint32 values packed per
 * block the way Lucene packs postings (PFOR: one bit width for the block,
 * the few values that do not fit it as exceptions).
 *
 * A run of n values is written as
 *   n < IL__RUN_PACK   n varints (short runs: a width byte would cost more);
 *   otherwise          a width byte b, then either (b == IL__RUN_SAME) one
 *                      varint that every value equals, or a varint count of
 *                      exceptions, the low b bits of every value packed
 *                      least significant bit first, and per exception the
 *                      gap to the previous exception's index and the bits
 *                      above b, both varints.
 * The writer picks b to make the run smallest.  A reader given `minb` 1
 * refuses widths of 0 and IL__RUN_SAME, so every value then costs at least
 * one bit of the input: a run's length can be checked against the bytes
 * left before anything is allocated for it.
 *
 * Depends on: base, index_internal.h.
 */
#ifndef IL_INDEX_SNAPCODEC_H
#define IL_INDEX_SNAPCODEC_H

#include "index/index_internal.h"

#define IL__RUN_PACK 16
#define IL__RUN_SAME 0x40

/* Appends to `a`; rc sticks at the first error, later calls do nothing. */
struct il__wr {
	struct il__arr a;
	int rc;
};

void il__wr_byte(struct il__wr *w, unsigned char c);
void il__wr_bytes(struct il__wr *w, const void *p, size_t n);
void il__wr_u32(struct il__wr *w, uint32_t v);
void il__wr_u64(struct il__wr *w, uint64_t v);
/* A signed difference as a zigzag varint (0, -1, 1, -2, ... -> 0, 1, 2, ...). */
void il__wr_i64(struct il__wr *w, int64_t v);
/* Zero bytes up to a multiple of 8 (sections are checksummed by words). */
void il__wr_pad8(struct il__wr *w);
/* A run of n values; minb as for il__rd_run (1: no width below 1). */
void il__wr_run(struct il__wr *w, const uint32_t *v, uint32_t n, unsigned minb);

/* Reads [p, end); every call returns false, leaving *out unset, when the
 * input ends early or is malformed. */
struct il__rd {
	const unsigned char *p, *end;
};

static inline size_t il__rd_left(const struct il__rd *r)
{
	return (size_t)(r->end - r->p);
}

bool il__rd_byte(struct il__rd *r, unsigned char *out);
bool il__rd_u32(struct il__rd *r, uint32_t *out);
bool il__rd_u64(struct il__rd *r, uint64_t *out);
bool il__rd_i64(struct il__rd *r, int64_t *out);
/* n bytes borrowed from the input. */
bool il__rd_bytes(struct il__rd *r, size_t n, const unsigned char **out);
/* A run of n values into v[0..n).  With minb 1 a packed run has a width of
 * at least one bit, so n <= 8 * il__rd_left() + IL__RUN_PACK always holds
 * for a run that reads. */
bool il__rd_run(struct il__rd *r, uint32_t *v, uint32_t n, unsigned minb);

#endif
