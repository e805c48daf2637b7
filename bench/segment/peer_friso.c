/*
 * peer_friso.c - the friso peer of bench/segment: reads UTF-8 lines on
 * standard input and writes each line's words separated by single spaces.
 *
 *   peer_friso [FRISO.INI]     (default /etc/friso/friso.ini, Debian's)
 *
 * Debian's friso.ini points lex_dir at friso-dict's UTF-8 lexicons and
 * selects complex (MMSEG) mode.  Three of its switches add or drop text,
 * which a segmentation score must not see, so they are turned off here:
 * add_syn (synonyms appended as extra tokens), en_sseg (a second split of
 * mixed Latin tokens) and clr_stw (stop words dropped); keep_urec keeps
 * unrecognised characters.  friso also drops most punctuation: every
 * character no token covers is written as a word of its own, from the
 * tokens' byte offsets, so the output holds the line's characters.
 *
 * Built by bench/segment/run.sh with cc and pkg-config friso, never by the
 * project's CMake.
 */
#include <friso.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int out_first;

static size_t char_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static void word(const char *p, size_t n)
{
	if (!out_first)
		fputc(' ', stdout);
	out_first = 0;
	fwrite(p, 1, n, stdout);
}

/* Characters of [from, to) that no token covered, one word each,
 * whitespace dropped. */
static void gap(const char *line, size_t from, size_t to)
{
	while (from < to) {
		unsigned char c = (unsigned char)line[from];
		size_t n = char_len(c);
		if (from + n > to)
			n = to - from;
		if (!(c == ' ' || c == '\t' || c == '\r' ||
		      (n == 3 && memcmp(line + from, "\xE3\x80\x80", 3) == 0)))
			word(line + from, n);
		from += n;
	}
}

int main(int argc, char **argv)
{
	const char *ini = argc > 1 ? argv[1] : "/etc/friso/friso.ini";
	friso_t friso = friso_new();
	friso_config_t config = friso_new_config();
	friso_task_t task = friso_new_task();
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	static char obuf[1 << 20];
	if (friso_init_from_ifile(friso, config, (fstring)ini) != 1) {
		fprintf(stderr, "peer_friso: cannot initialise friso from %s\n", ini);
		return 1;
	}
	config->add_syn = 0;
	config->en_sseg = 0;
	config->clr_stw = 0;
	config->keep_urec = 1;
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		size_t done = 0;
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		out_first = 1;
		friso_set_text(task, line);
		while (config->next_token(friso, config, task) != NULL) {
			/* the token's text may be converted (full-width to half-width,
			 * case) and its rlen is stale for punctuation: count its
			 * characters and take as many from the line at its offset */
			size_t off = (size_t)task->token->offset, len = 0;
			for (const char *w = task->token->word; *w;
			     w += char_len((unsigned char)*w))
				if (off + len < (size_t)n)
					len += char_len((unsigned char)line[off + len]);
			if (off < done || off + len > (size_t)n)
				continue; /* overlaps what was written */
			gap(line, done, off);
			word(line + off, len);
			done = off + len;
		}
		gap(line, done, (size_t)n);
		fputc('\n', stdout);
	}
	friso_free_task(task);
	friso_free_config(config);
	friso_free(friso);
	free(line);
	return fflush(stdout) == 0 ? 0 : 1;
}
