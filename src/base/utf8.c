/*
 * utf8.c - validation of UTF-8 text.
 *
 * Strict RFC 3629: no overlong forms, no UTF-16 surrogates, nothing past
 * U+10FFFF.  Every byte of outside input passes through here at least once,
 * so runs of ASCII are checked eight bytes at a time.
 */
#include <innolink/base.h>

#include <string.h>

size_t il_utf8_prefix(const char *text, size_t n, bool *partial)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	if (partial)
		*partial = false;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			uint64_t w;
			while (i + 8 <= n) {
				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080ull)
					break;
				i += 8;
			}
			while (i < n && s[i] < 0x80)
				i++;
			continue;
		}
		size_t need;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* past U+10FFFF */
		} else {
			return i; /* a continuation byte, or a lead that cannot start UTF-8 */
		}
		for (size_t k = 1; k <= need; k++) {
			if (i + k >= n) {
				/* cut off by the end of the buffer: a chunk boundary
				 * may fall inside a character */
				if (partial)
					*partial = true;
				return i;
			}
			unsigned cc = s[i + k];
			if (k == 1 ? (cc < lo || cc > hi) : (cc < 0x80 || cc > 0xBF))
				return i;
		}
		i += need + 1;
	}
	return i;
}
