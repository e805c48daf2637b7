/*
 * snapshot.h - the snapshot file's format, shared by the writer
 * (snapshot.c) and the reader (snapload.c); the layout of each section is
 * described in snapshot.c.
 *
 * Depends on: base, index_internal.h.
 */
#ifndef IL_INDEX_SNAPSHOT_H
#define IL_INDEX_SNAPSHOT_H

#include "index/index_internal.h"

#define IL__SNAP_MAGIC "innoidx\n"
/* 2: 32-byte blocks, one-byte postings, varint forward lists, no slots;
 * 3: documents carry their last live day;
 * 4: a compact encoding decoded at load instead of the arrays mapped */
#define IL__SNAP_VERSION 4u
#define IL__SNAP_BOM 0x01020304u

enum {
	IL__S_META,
	IL__S_KEYS,
	IL__S_DOCS,
	IL__S_REGIONS,
	IL__S_TERMS,
	IL__S_POST,
	IL__S_POS,
	IL__S_COUNT
};

/* The sections' names, for messages and reports. */
extern const char *const il__snap_section[IL__S_COUNT];

struct il__snap_header {
	char magic[8];
	uint32_t version;
	uint32_t bom;
	uint32_t nsec;
	uint32_t header_size;
	uint32_t sizes[4]; /* meta, kinds, fields, block */
	int64_t seq;
	uint64_t file_size;
	uint64_t body_sum;
	uint64_t off[IL__S_COUNT];
	uint64_t len[IL__S_COUNT]; /* without the padding */
	uint64_t header_sum; /* of every byte before this field */
};
_Static_assert(sizeof(struct il__snap_header) % 8 == 0, "sections start on a word");

/* What the encoding depends on besides the version. */
void il__snap_layout(uint32_t s[4]);
/* The checksum: a 64-bit multiply-xorshift hash over 8-byte words (a
 * short last word zero-padded), continuing from h. */
uint64_t il__snap_sum(uint64_t h, const unsigned char *p, size_t len);
uint64_t il__snap_header_sum(const struct il__snap_header *h);
/* IL_EFORMAT, "PATH: not a usable index snapshot: WHAT". */
int il__snap_bad(const char *path, const char *fmt, ...) IL_PRINTF(2, 3);
/* Copies the header of the file bytes map[0..size) to *h and checks it:
 * magic, version, checksums, size, the sections laid end to end.  The
 * errors of il__snap_bad. */
int il__snap_check(const unsigned char *map, size_t size, const char *path,
		   struct il__snap_header *h);
/* Maps the file at path read-only and checks its header (il__snap_check)
 * into *h; the caller unmaps *map (*size bytes).  IL_EIO, and the errors of
 * il__snap_bad. */
int il__snap_open(const char *path, unsigned char **map, size_t *size, struct il__snap_header *h);

/* Bytes of v as a varint (a forward-list gap). */
static inline unsigned il__varint_len(uint32_t v)
{
	return v < 1u << 7 ? 1 : v < 1u << 14 ? 2 : v < 1u << 21 ? 3 : v < 1u << 28 ? 4 : 5;
}

#endif
