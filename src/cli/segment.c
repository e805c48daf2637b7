/*
 * segment.c - `innolink segment`: Chinese word segmentation of standard
 * input, one output line per input line, words separated by one space
 * (the SIGHAN bake-off format).
 *
 * The output holds the input's characters unchanged: only spaces are put
 * between words, and the input's own whitespace is a separator, not
 * copied (a CRLF line ending is kept).  Input is read in blocks of
 * READ_BLOCK bytes and output gathered in a buffer of OUT_BLOCK bytes, so
 * a large file costs a few system calls per megabyte; one line may grow
 * to MAX_LINE bytes.  Invariant: a line is segmented only once it is
 * complete (its newline seen, or end of input).  Depends on the public
 * text API only.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <innolink/text.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_BLOCK (1u << 20)
#define OUT_BLOCK (1u << 20)
#define MAX_LINE ((size_t)1 << 30)

int cli_segment(struct cli *cli, int argc, char **argv);

struct outbuf {
	char *buf;
	size_t len;
	bool first; /* no word on this line yet */
	int err; /* errno of a failed write */
};

/* Writes everything or returns the errno that stopped it. */
static int write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int out_flush(struct outbuf *o)
{
	if (!o->err && o->len)
		o->err = write_all(o->buf, o->len);
	o->len = 0;
	return o->err;
}

static int out_add(struct outbuf *o, const char *p, size_t n)
{
	if (o->err || (o->len + n > OUT_BLOCK && out_flush(o)))
		return o->err;
	if (n > OUT_BLOCK) /* a word longer than the buffer goes out directly */
		return o->err = write_all(p, n);
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	return 0;
}

static int put_word(const struct il_token *tok, void *ctx)
{
	struct outbuf *o = ctx;
	if (!o->first && out_add(o, " ", 1))
		return IL_EIO;
	o->first = false;
	return out_add(o, tok->term, tok->term_len) ? IL_EIO : IL_OK;
}

/* Segments one line (without its line ending) and writes it with `eol`. */
static int do_line(const struct il_text *t, enum il_seg_mode mode, struct outbuf *o,
		   const char *line, size_t len, const char *eol, size_t lineno)
{
	int rc;
	o->first = true;
	rc = il_text_segment(t, line, len, mode, put_word, o);
	if (rc == IL_EIO && o->err)
		return il_error_set(IL_EIO, "cannot write the output: %s", strerror(o->err));
	if (rc) {
		il_error_prefix("<stdin>:%zu", lineno);
		return rc;
	}
	if (out_add(o, eol, strlen(eol)))
		return il_error_set(IL_EIO, "cannot write the output: %s", strerror(o->err));
	return IL_OK;
}

static int segment_stream(const struct il_text *t, enum il_seg_mode mode)
{
	struct outbuf o = {NULL, 0, true, 0};
	char *in = NULL, *outmem = NULL;
	size_t cap = 2 * (size_t)READ_BLOCK, fill = 0, lineno = 0;
	bool eof = false;
	int rc = IL_OK;
	if (!(in = malloc(cap)) || !(outmem = malloc(OUT_BLOCK))) {
		rc = il_error_set(IL_ENOMEM, "out of memory for the input and output buffers");
		goto cleanup;
	}
	o.buf = outmem;
	while (!eof || fill > 0) {
		if (!eof) {
			if (cap - fill < READ_BLOCK) {
				size_t ncap = cap * 2;
				char *p;
				if (ncap > MAX_LINE + READ_BLOCK) {
					rc = il_error_set(IL_ETOOBIG,
							  "<stdin>:%zu: line longer than %zu "
							  "bytes",
							  lineno + 1, MAX_LINE);
					goto cleanup;
				}
				if (!(p = realloc(in, ncap))) {
					rc = il_error_set(IL_ENOMEM,
							  "<stdin>:%zu: out of memory for a "
							  "line of %zu bytes",
							  lineno + 1, fill);
					goto cleanup;
				}
				in = p;
				cap = ncap;
			}
			ssize_t n = read(STDIN_FILENO, in + fill, cap - fill);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				rc = il_error_set(IL_EIO, "cannot read standard input: %s",
						  strerror(errno));
				goto cleanup;
			}
			if (n == 0)
				eof = true;
			fill += (size_t)n;
		}
		size_t pos = 0;
		for (;;) {
			char *nl = memchr(in + pos, '\n', fill - pos);
			size_t end;
			const char *eol = "\n";
			if (!nl) {
				if (!eof || pos == fill)
					break;
				end = fill; /* the last line has no newline */
				eol = "";
			} else {
				end = (size_t)(nl - in);
			}
			size_t len = end - pos;
			if (nl && len > 0 && in[end - 1] == '\r') {
				len--;
				eol = "\r\n";
			}
			if ((rc = do_line(t, mode, &o, in + pos, len, eol, ++lineno)) != IL_OK)
				goto cleanup;
			pos = nl ? end + 1 : fill;
		}
		memmove(in, in + pos, fill - pos);
		fill -= pos;
		if (eof && fill == 0)
			break;
	}
	if (out_flush(&o))
		rc = il_error_set(IL_EIO, "cannot write the output: %s", strerror(o.err));
cleanup:
	if (rc && o.buf) /* what was segmented before the error */
		out_flush(&o);
	free(in);
	free(outmem);
	return rc;
}

int cli_segment(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"mode", required_argument, NULL, 'm'},
					     {NULL, 0, NULL, 0}};
	enum il_seg_mode mode = IL_SEG_PRECISE;
	struct il_text *t;
	int rc;
	(void)cli;
	OPT_LOOP(opts)
	{
		if (c != 'm')
			return cli_usage("segment", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		if (strcmp(optarg, "precise") == 0)
			mode = IL_SEG_PRECISE;
		else if (strcmp(optarg, "search") == 0)
			mode = IL_SEG_SEARCH;
		else
			return cli_usage("segment", "--mode is precise or search, not '%s'",
					 optarg);
	}
	if (optind < argc)
		return cli_usage("segment",
				 "unexpected argument '%s' (the text comes on standard "
				 "input)",
				 argv[optind]);
	if ((rc = il_text_open(cli_data_dir(), IL_TEXT_NO_GLOSSARY, &t)) != IL_OK)
		return cli_fail(rc);
	rc = segment_stream(t, mode);
	il_text_close(t);
	return rc ? cli_fail(rc) : EXIT_OK;
}
