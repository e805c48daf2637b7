/*
 * peer_icu.c - the ICU word-break peer of bench/segment: reads UTF-8 lines
 * on standard input and writes each line's words separated by single
 * spaces (ICU's UBRK_WORD iterator for the "zh" locale, which cuts Han
 * text with ICU's own CJK dictionary); whitespace runs are dropped.
 *
 * Built by bench/segment/run.sh with cc and pkg-config icu-uc icu-i18n,
 * never by the project's CMake, so the library does not depend on ICU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

static void die(const char *what, UErrorCode e)
{
	fprintf(stderr, "peer_icu: %s: %s\n", what, u_errorName(e));
	exit(1);
}

int main(void)
{
	UErrorCode e = U_ZERO_ERROR;
	UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &e);
	char *line = NULL, *out = NULL;
	size_t cap = 0, outcap = 0;
	ssize_t n;
	UChar *u = NULL;
	int32_t ucap = 0;
	static char obuf[1 << 20];
	if (U_FAILURE(e))
		die("ubrk_open", e);
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		int32_t ulen = 0, start, end, olen = 0;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if ((int32_t)n * 2 + 2 > ucap) {
			ucap = (int32_t)n * 2 + 2;
			u = realloc(u, (size_t)ucap * sizeof(UChar));
			if (!u)
				die("realloc", U_MEMORY_ALLOCATION_ERROR);
		}
		e = U_ZERO_ERROR;
		u_strFromUTF8(u, ucap, &ulen, line, (int32_t)n, &e);
		if (U_FAILURE(e))
			die("u_strFromUTF8", e);
		if ((size_t)n * 2 + 4 > outcap) {
			outcap = (size_t)n * 2 + 4;
			out = realloc(out, outcap);
			if (!out)
				die("realloc", U_MEMORY_ALLOCATION_ERROR);
		}
		ubrk_setText(bi, u, ulen, &e);
		if (U_FAILURE(e))
			die("ubrk_setText", e);
		start = ubrk_first(bi);
		for (end = ubrk_next(bi); end != UBRK_DONE; start = end, end = ubrk_next(bi)) {
			int32_t i = start, written = 0;
			UChar32 c;
			int all_space = 1;
			while (i < end) {
				U16_NEXT(u, i, end, c);
				if (!u_isUWhiteSpace(c))
					all_space = 0;
			}
			if (all_space)
				continue;
			if (olen > 0)
				out[olen++] = ' ';
			e = U_ZERO_ERROR;
			u_strToUTF8(out + olen, (int32_t)outcap - olen, &written, u + start,
				    end - start, &e);
			if (U_FAILURE(e))
				die("u_strToUTF8", e);
			olen += written;
		}
		out[olen++] = '\n';
		fwrite(out, 1, (size_t)olen, stdout);
	}
	ubrk_close(bi);
	free(line);
	free(out);
	free(u);
	return fflush(stdout) == 0 ? 0 : 1;
}
