/*
 * test_snapcodec.c - the snapshot byte codec: varints of every width, zigzag
 * differences, runs (short, packed, all equal, with exceptions) written and
 * read back, the width the writer picks, and runs the reader must refuse.
 */
#include "index/snapcodec.h"
#include "test.h"

static void round_trip(const uint32_t *v, uint32_t n, unsigned minb, size_t *bytes)
{
	struct il__wr w = {{NULL, 0, 0}, IL_OK};
	struct il__rd r;
	uint32_t back[600];
	il__wr_run(&w, v, n, minb);
	IL_CHECK_INT(w.rc, IL_OK);
	r.p = w.a.p;
	r.end = w.a.p + w.a.len;
	IL_CHECK(il__rd_run(&r, back, n, minb));
	IL_CHECK_INT(il__rd_left(&r), 0);
	IL_CHECK(n == 0 || memcmp(back, v, n * sizeof(*v)) == 0);
	/* one byte short never reads */
	if (w.a.len) {
		r.p = w.a.p;
		r.end = w.a.p + w.a.len - 1;
		IL_CHECK(!il__rd_run(&r, back, n, minb));
	}
	*bytes = w.a.len;
	il__arr_release(&w.a);
}

static void test_varints(void)
{
	static const uint64_t u[] = {0, 1, 127, 128, 16383, 16384, UINT32_MAX, UINT64_MAX};
	static const int64_t i[] = {0, -1, 1, -64, 64, INT32_MIN, INT32_MAX, INT64_MIN, INT64_MAX};
	struct il__wr w = {{NULL, 0, 0}, IL_OK};
	struct il__rd r;
	for (size_t k = 0; k < sizeof(u) / sizeof(u[0]); k++)
		il__wr_u64(&w, u[k]);
	for (size_t k = 0; k < sizeof(i) / sizeof(i[0]); k++)
		il__wr_i64(&w, i[k]);
	il__wr_pad8(&w);
	IL_CHECK_INT(w.rc, IL_OK);
	IL_CHECK_INT(w.a.len % 8, 0);
	r.p = w.a.p;
	r.end = w.a.p + w.a.len;
	for (size_t k = 0; k < sizeof(u) / sizeof(u[0]); k++) {
		uint64_t x = 12345;
		IL_CHECK(il__rd_u64(&r, &x));
		IL_CHECK(x == u[k]);
	}
	for (size_t k = 0; k < sizeof(i) / sizeof(i[0]); k++) {
		int64_t x = 12345;
		IL_CHECK(il__rd_i64(&r, &x));
		IL_CHECK(x == i[k]);
	}
	/* small differences take one byte either way */
	w.a.len = 0;
	il__wr_i64(&w, -64);
	il__wr_i64(&w, 63);
	IL_CHECK_INT(w.a.len, 2);
	/* an over-long 64-bit varint (11 bytes) is refused */
	{
		unsigned char bad[11];
		uint64_t x;
		memset(bad, 0x80, sizeof(bad));
		bad[10] = 0;
		r.p = bad;
		r.end = bad + sizeof(bad);
		IL_CHECK(!il__rd_u64(&r, &x));
	}
	il__arr_release(&w.a);
}

static void test_runs(void)
{
	uint32_t v[600];
	size_t bytes;
	/* short runs are varints */
	for (uint32_t k = 0; k < 15; k++)
		v[k] = k * 100;
	round_trip(v, 15, 0, &bytes);
	IL_CHECK_INT(bytes, 1 + 1 + 13 * 2); /* 0 and 100, then 200..1400 */
	round_trip(v, 0, 1, &bytes);
	IL_CHECK_INT(bytes, 0);
	/* all equal: a byte and the value */
	for (uint32_t k = 0; k < 128; k++)
		v[k] = 1;
	round_trip(v, 128, 0, &bytes);
	IL_CHECK_INT(bytes, 2);
	/* ... but not for positions (minb 1): one bit each */
	round_trip(v, 128, 1, &bytes);
	IL_CHECK_INT(bytes, 2 + 16);
	/* small values packed at 3 bits */
	for (uint32_t k = 0; k < 128; k++)
		v[k] = k % 8;
	round_trip(v, 128, 0, &bytes);
	IL_CHECK_INT(bytes, 2 + 48);
	/* one large value is an exception, not a wider run */
	v[77] = 1000000;
	round_trip(v, 128, 0, &bytes);
	IL_CHECK(bytes <= 2 + 48 + 5);
	/* every width up to 32 bits, and long runs of positions */
	for (unsigned b = 0; b <= 32; b++) {
		for (uint32_t k = 0; k < 600; k++)
			v[k] = b == 32 ? UINT32_MAX - k
				       : (uint32_t)(((uint64_t)k * 2654435761u) &
						    ((1ull << b) - 1));
		round_trip(v, 600, 0, &bytes);
		round_trip(v, 600, 1, &bytes);
		IL_CHECK(bytes <= 2 + (600 * (b ? b : 1) + 7) / 8 + 16);
	}
}

/* A hand-made packed run of 16 values. */
static bool read16(const unsigned char *p, size_t len, unsigned minb)
{
	struct il__rd r = {p, p + len};
	uint32_t v[16];
	return il__rd_run(&r, v, 16, minb);
}

static void test_refused(void)
{
	unsigned char b[64];
	memset(b, 0, sizeof(b));
	/* width 0, no exceptions: sixteen zeros, but not where a bit is due */
	IL_CHECK(read16(b, 2, 0));
	IL_CHECK(!read16(b, 2, 1));
	b[0] = 33; /* wider than 32 bits */
	IL_CHECK(!read16(b, sizeof(b), 0));
	b[0] = IL__RUN_SAME;
	IL_CHECK(read16(b, 2, 0));
	IL_CHECK(!read16(b, 2, 1));
	/* width 1, two exceptions: the second at the same index */
	b[0] = 1;
	b[1] = 2;
	b[4] = 3; /* index 3 */
	b[5] = 1;
	b[6] = 0; /* gap 0 after the first */
	b[7] = 1;
	IL_CHECK(!read16(b, 8, 0));
	b[6] = 12; /* index 15: fine */
	IL_CHECK(read16(b, 8, 0));
	b[6] = 13; /* index 16: past the run */
	IL_CHECK(!read16(b, 8, 0));
	/* an exception whose high bits overflow 32 bits */
	{
		unsigned char c[80];
		memset(c, 0, sizeof(c));
		c[0] = 31;
		c[1] = 1;
		/* 16 * 31 bits = 62 bytes, then index 0 and high 4 (bit 33) */
		c[64] = 0;
		c[65] = 4;
		IL_CHECK(!read16(c, 66, 0));
		c[65] = 1;
		IL_CHECK(read16(c, 66, 0));
		c[65] = 0; /* a high part of 0 is no exception */
		IL_CHECK(!read16(c, 66, 0));
	}
}

int main(void)
{
	IL_RUN(test_varints);
	IL_RUN(test_runs);
	IL_RUN(test_refused);
	IL_DONE();
}
