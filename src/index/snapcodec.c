/*
 * snapcodec.c - the byte codec of index snapshots: a sticky-error writer,
 * a bounds-checked reader, varints and PFOR-packed runs (format in
 * snapcodec.h).
 *
 * Invariants: the reader never reads past `end` and never accepts a value
 * it could not have written (over-long varints, widths above 32,
 * exceptions out of order or overflowing 32 bits), so a run that reads is
 * one the writer made or an equally valid one.
 *
 * Depends on: base, index_internal.h.
 */
#include "index/snapcodec.h"

#include <string.h>

static void wr_reserve(struct il__wr *w, size_t n)
{
	if (!w->rc)
		w->rc = il__arr_reserve(&w->a, n);
}

void il__wr_byte(struct il__wr *w, unsigned char c)
{
	wr_reserve(w, 1);
	if (!w->rc)
		w->a.p[w->a.len++] = c;
}

void il__wr_bytes(struct il__wr *w, const void *p, size_t n)
{
	wr_reserve(w, n);
	if (!w->rc && n) {
		memcpy(w->a.p + w->a.len, p, n);
		w->a.len += n;
	}
}

void il__wr_u32(struct il__wr *w, uint32_t v)
{
	wr_reserve(w, 5);
	if (!w->rc)
		w->a.len += il__varint_put(w->a.p + w->a.len, v);
}

void il__wr_u64(struct il__wr *w, uint64_t v)
{
	wr_reserve(w, 10);
	if (w->rc)
		return;
	while (v >= 0x80) {
		w->a.p[w->a.len++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	w->a.p[w->a.len++] = (unsigned char)v;
}

void il__wr_i64(struct il__wr *w, int64_t v)
{
	/* zigzag without shifting a negative number */
	uint64_t u = (uint64_t)v;
	il__wr_u64(w, v < 0 ? ~(u << 1) : u << 1);
}

void il__wr_pad8(struct il__wr *w)
{
	static const unsigned char zeros[8];
	il__wr_bytes(w, zeros, (8 - w->a.len % 8) % 8);
}

static unsigned bits(uint32_t v)
{
	return v ? 32u - (unsigned)__builtin_clz(v) : 0u;
}

/*
 * The width that makes a packed run smallest: n * b bits for the low parts
 * plus, per value wider than b, about a byte of index gap and a varint of
 * its high bits.  hist[k] counts the values of k significant bits, top is
 * the largest k present (no width above it can help).
 */
static unsigned best_width(const uint32_t hist[33], unsigned top, uint32_t n, unsigned minb)
{
	unsigned best = top > minb ? top : minb;
	uint64_t best_cost = UINT64_MAX;
	for (unsigned b = minb; b <= top; b++) {
		uint64_t cost = ((uint64_t)n * b + 7) / 8;
		for (unsigned k = b + 1; k <= top; k++)
			cost += (uint64_t)hist[k] * (1 + (k - b + 6) / 7);
		if (cost < best_cost) {
			best_cost = cost;
			best = b;
		}
	}
	return best;
}

void il__wr_run(struct il__wr *w, const uint32_t *v, uint32_t n, unsigned minb)
{
	uint32_t hist[33] = {0}, nexc = 0, last = 0;
	uint64_t acc = 0;
	unsigned have = 0, b, top = 0;
	bool same = true;
	if (n < IL__RUN_PACK) {
		for (uint32_t i = 0; i < n; i++)
			il__wr_u32(w, v[i]);
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		unsigned k = bits(v[i]);
		hist[k]++;
		top = k > top ? k : top;
		same = same && v[i] == v[0];
	}
	if (same && minb == 0) {
		il__wr_byte(w, IL__RUN_SAME);
		il__wr_u32(w, v[0]);
		return;
	}
	b = best_width(hist, top, n, minb);
	for (unsigned k = b + 1; k <= 32; k++)
		nexc += hist[k];
	il__wr_byte(w, (unsigned char)b);
	il__wr_u32(w, nexc);
	wr_reserve(w, (size_t)(((uint64_t)n * b + 7) / 8));
	if (w->rc)
		return;
	for (uint32_t i = 0; i < n; i++) {
		acc |= (uint64_t)(b < 32 ? v[i] & ((1u << b) - 1) : v[i]) << have;
		have += b;
		while (have >= 8) {
			w->a.p[w->a.len++] = (unsigned char)acc;
			acc >>= 8;
			have -= 8;
		}
	}
	if (have)
		w->a.p[w->a.len++] = (unsigned char)acc;
	for (uint32_t i = 0; i < n && nexc; i++)
		if (bits(v[i]) > b) {
			il__wr_u32(w, i - last);
			il__wr_u32(w, v[i] >> b);
			last = i;
		}
}

bool il__rd_byte(struct il__rd *r, unsigned char *out)
{
	if (r->p >= r->end)
		return false;
	*out = *r->p++;
	return true;
}

bool il__rd_u32(struct il__rd *r, uint32_t *out)
{
	return il__varint_get(&r->p, r->end, out);
}

bool il__rd_u64(struct il__rd *r, uint64_t *out)
{
	uint64_t v = 0;
	const unsigned char *p = r->p;
	for (unsigned shift = 0; shift < 70 && p < r->end; shift += 7) {
		unsigned char c = *p++;
		if (shift == 63 && c > 1)
			return false;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			r->p = p;
			*out = v;
			return true;
		}
	}
	return false;
}

bool il__rd_i64(struct il__rd *r, int64_t *out)
{
	uint64_t u;
	if (!il__rd_u64(r, &u))
		return false;
	*out = (u & 1) ? (int64_t) ~(u >> 1) : (int64_t)(u >> 1);
	return true;
}

bool il__rd_bytes(struct il__rd *r, size_t n, const unsigned char **out)
{
	if (n > il__rd_left(r))
		return false;
	*out = r->p;
	r->p += n;
	return true;
}

bool il__rd_run(struct il__rd *r, uint32_t *v, uint32_t n, unsigned minb)
{
	unsigned char b;
	uint32_t nexc, at = 0, mask;
	uint64_t acc = 0, bytes;
	unsigned have = 0;
	if (n < IL__RUN_PACK) {
		for (uint32_t i = 0; i < n; i++)
			if (!il__rd_u32(r, &v[i]))
				return false;
		return true;
	}
	if (!il__rd_byte(r, &b))
		return false;
	if (b == IL__RUN_SAME && minb == 0) {
		if (!il__rd_u32(r, &v[0]))
			return false;
		for (uint32_t i = 1; i < n; i++)
			v[i] = v[0];
		return true;
	}
	bytes = ((uint64_t)n * b + 7) / 8;
	if (b < minb || b > 32 || !il__rd_u32(r, &nexc) || nexc > n || (b == 32 && nexc) ||
	    bytes > il__rd_left(r))
		return false;
	mask = b < 32 ? (1u << b) - 1 : UINT32_MAX;
	for (uint32_t i = 0; i < n; i++) {
		while (have < b) {
			acc |= (uint64_t)*r->p++ << have;
			have += 8;
		}
		v[i] = (uint32_t)acc & mask;
		acc = b < 32 ? acc >> b : acc >> 32;
		have -= b;
	}
	for (uint32_t e = 0; e < nexc; e++) {
		uint32_t gap, high;
		if (!il__rd_u32(r, &gap) || !il__rd_u32(r, &high) || (e && gap == 0) ||
		    gap >= n - at || high == 0 || high > UINT32_MAX >> b)
			return false;
		at += gap;
		v[at] |= high << b;
	}
	return true;
}
