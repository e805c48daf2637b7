/*
 * dict.c - the segmenter's dictionaries: the compiled main dictionary,
 * mapped read-only, and the user dictionaries laid over it.
 *
 * main.dict (dict_format.h) is found under datadir/dict/, then in the build
 * tree (IL_DICT_BUILD_DIR, where the build writes it), then in the installed
 * share directory (IL_DICT_SHARE_DIR).  Before any lookup the whole file is
 * checked: header, section bounds, checksum, and every stored index (trie
 * words, string offsets, tags, character codes), so the lookups may trust
 * what they read and a damaged file is IL_EFORMAT, never a crash.
 *
 * User dictionaries are the .txt files of datadir/dict, read in name order:
 * "word [freq [tag]]" lines, '#' comment lines, UTF-8.  Their words and all
 * their prefixes go into one hash map (jieba's "prefix dictionary"), which
 * the segmenter consults beside the trie.  A word without a frequency gets
 * the smallest one that makes it beat its own best split (jieba's
 * suggest_freq); the total stays the main dictionary's, so the compiled
 * log-probabilities stay valid.  A later line for the same word wins.
 *
 * Invariants: after il__dict_open() returns, nothing here is written again.
 * Depends on: base, dict_format.h, segment.c (for suggested frequencies).
 */
#include "segment_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define USER_FILE_MAX (64u << 20) /* a user dictionary larger than this is a mistake */
#define USER_MAX_FILES 1024

void il__dict_lookup(const struct il__dict *d, const char *s, size_t len,
		     struct il__dict_entry *out)
{
	memset(out, 0, sizeof(*out));
	out->tag = -1;
	if (d->user_words) {
		int64_t v = il_strmap_get(&d->user, s, len);
		if (v > 0) {
			uint64_t f = IL__USER_FREQ(v);
			out->user = true;
			if (f == 0)
				return; /* removed by the user */
			out->found = true;
			out->freq = f;
			out->logp = log((double)f) - d->log_total;
			out->tag = IL__USER_TAG(v) == IL__TAG_NONE ? -1 : IL__USER_TAG(v);
			return;
		}
	}
	int32_t st = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		const unsigned char *p = (const unsigned char *)s + i;
		if (p[0] < 0x80) {
			cp = p[0];
			i += 1;
		} else if (p[0] < 0xE0 && i + 1 < len) {
			cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
			i += 2;
		} else if (p[0] < 0xF0 && i + 2 < len) {
			cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
			     (p[2] & 0x3F);
			i += 3;
		} else if (i + 3 < len) {
			cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
			     ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
			i += 4;
		} else {
			return;
		}
		if ((st = il__dict_child(d, st, il__dict_code(d, cp))) < 0)
			return;
	}
	int32_t w = il__dict_word_at(d, st);
	if (len == 0 || w < 0)
		return;
	out->found = true;
	out->freq = d->words[w].freq;
	out->logp = d->words[w].logp;
	out->tag = d->wtags[w];
}

static int bad(const char *path, const char *what, uint64_t off)
{
	return il_error_set(IL_EFORMAT, "%s: corrupt dictionary: %s (byte offset %llu)", path, what,
			    (unsigned long long)off);
}

static int validate(struct il__dict *d, const char *path)
{
	const unsigned char *base = d->map;
	struct il__dict_header h;
	if (d->map_len < sizeof(h))
		return bad(path, "shorter than its header", d->map_len);
	memcpy(&h, base, sizeof(h));
	if (memcmp(h.magic, IL__DICT_MAGIC, 8) != 0)
		return bad(path, "not an innolink dictionary (bad magic)", 0);
	if (h.byte_order != IL__DICT_BYTE_ORDER)
		return bad(path, "written on a machine of another byte order",
			   offsetof(struct il__dict_header, byte_order));
	if (h.version != IL__DICT_VERSION)
		return bad(path, "unsupported format version",
			   offsetof(struct il__dict_header, version));
	if (h.file_size != d->map_len)
		return bad(path, "truncated or extended: size differs from the header's",
			   d->map_len < h.file_size ? d->map_len : h.file_size);
	for (int s = 0; s < IL__SEC__COUNT; s++) {
		uint64_t end;
		if (h.sec_off[s] % 8 || h.sec_off[s] < sizeof(h) || h.sec_off[s] > h.file_size ||
		    h.sec_size[s] > h.file_size ||
		    (end = h.sec_off[s] + h.sec_size[s]) > h.file_size || end < h.sec_off[s])
			return bad(path, "section outside the file",
				   offsetof(struct il__dict_header, sec_off) + 8 * (uint64_t)s);
	}
	if (il__dict_checksum(base + sizeof(h), d->map_len - sizeof(h)) != h.checksum)
		return bad(path, "checksum mismatch", offsetof(struct il__dict_header, checksum));

	/* sizes agree with the counts */
	if (h.ncodes == 0 || h.ncodes > 65535 || h.nslots == 0 || h.nslots > INT32_MAX ||
	    h.ntags == 0 || h.ntags > 255 || h.total_freq == 0 || !isfinite(h.log_total) ||
	    h.max_chars > IL__DICT_MAX_CHARS ||
	    h.sec_size[IL__SEC_CMAP_BMP] != 65536 * sizeof(uint16_t) ||
	    h.sec_size[IL__SEC_CMAP_BIG] != (uint64_t)h.nbig * sizeof(struct il__dict_bigchar) ||
	    h.sec_size[IL__SEC_SLOTS] != (uint64_t)h.nslots * sizeof(struct il__dict_slot) ||
	    h.sec_size[IL__SEC_WORDS] != (uint64_t)h.nwords * sizeof(struct il__dict_word) ||
	    h.sec_size[IL__SEC_WTAGS] != h.nwords ||
	    h.sec_size[IL__SEC_TAGS] != (uint64_t)h.ntags * 8 ||
	    h.sec_size[IL__SEC_HMM] != (20 + 4 * (uint64_t)h.ncodes) * sizeof(double) ||
	    (h.sec_size[IL__SEC_STRINGS] &&
	     base[h.sec_off[IL__SEC_STRINGS] + h.sec_size[IL__SEC_STRINGS] - 1] != '\0'))
		return bad(path, "section sizes disagree with the header's counts",
			   offsetof(struct il__dict_header, total_freq));

	d->cmap = (const uint16_t *)(base + h.sec_off[IL__SEC_CMAP_BMP]);
	d->big = (const struct il__dict_bigchar *)(base + h.sec_off[IL__SEC_CMAP_BIG]);
	d->nbig = h.nbig;
	d->slots = (const struct il__dict_slot *)(base + h.sec_off[IL__SEC_SLOTS]);
	d->nslots = h.nslots;
	d->words = (const struct il__dict_word *)(base + h.sec_off[IL__SEC_WORDS]);
	d->wtags = base + h.sec_off[IL__SEC_WTAGS];
	d->nwords = h.nwords;
	d->strings = (const char *)(base + h.sec_off[IL__SEC_STRINGS]);
	d->strings_len = h.sec_size[IL__SEC_STRINGS];
	d->tags = (const char(*)[8])(base + h.sec_off[IL__SEC_TAGS]);
	d->ntags = h.ntags;
	d->hmm_start = (const double *)(base + h.sec_off[IL__SEC_HMM]);
	d->hmm_trans = d->hmm_start + 4;
	d->hmm_emit = d->hmm_start + 20;
	d->ncodes = h.ncodes;
	d->log_total = h.log_total;
	d->total_freq = h.total_freq;
	d->max_chars = h.max_chars;

	/* every index the lookups follow points inside its table */
	for (uint32_t c = 0; c < 65536; c++)
		if (d->cmap[c] >= h.ncodes)
			return bad(path, "character code out of range",
				   h.sec_off[IL__SEC_CMAP_BMP] + 2 * (uint64_t)c);
	for (uint32_t i = 0; i < h.nbig; i++)
		if (d->big[i].code >= h.ncodes || d->big[i].cp <= 0xFFFF ||
		    d->big[i].cp > 0x10FFFF || (i && d->big[i].cp <= d->big[i - 1].cp))
			return bad(path, "bad entry in the character map",
				   h.sec_off[IL__SEC_CMAP_BIG] + 8 * (uint64_t)i);
	for (uint32_t i = 0; i < h.nslots; i++)
		if (d->slots[i].word < -1 || d->slots[i].word >= (int64_t)h.nwords)
			return bad(path, "trie node names a word that does not exist",
				   h.sec_off[IL__SEC_SLOTS] + 12 * (uint64_t)i);
	for (uint32_t i = 0; i < h.nwords; i++) {
		const struct il__dict_word *w = &d->words[i];
		if (w->str >= d->strings_len || w->freq == 0 || !(w->logp <= 0.0) ||
		    !isfinite(w->logp) || d->wtags[i] >= h.ntags)
			return bad(path, "bad word record",
				   h.sec_off[IL__SEC_WORDS] + 16 * (uint64_t)i);
	}
	for (uint32_t i = 0; i < h.ntags; i++)
		if (memchr(d->tags[i], '\0', 8) == NULL)
			return bad(path, "unterminated tag name",
				   h.sec_off[IL__SEC_TAGS] + 8 * (uint64_t)i);
	for (uint64_t i = 0; i < 20 + 4 * (uint64_t)h.ncodes; i++)
		if (!isfinite(d->hmm_start[i]) || d->hmm_start[i] > 0.0)
			return bad(path, "HMM log-probability is not a finite value <= 0",
				   h.sec_off[IL__SEC_HMM] + 8 * i);

	d->tag_nr = d->tag_m = d->tag_mq = d->tag_t = -1;
	for (uint32_t i = 0; i < h.ntags; i++) {
		if (strcmp(d->tags[i], "nr") == 0)
			d->tag_nr = (int)i;
		else if (strcmp(d->tags[i], "m") == 0)
			d->tag_m = (int)i;
		else if (strcmp(d->tags[i], "mq") == 0)
			d->tag_mq = (int)i;
		else if (strcmp(d->tags[i], "t") == 0)
			d->tag_t = (int)i;
	}
	return IL_OK;
}

/* Opens and checks `path`; IL_ENOTFOUND when it does not exist, so the
 * caller can try the next place. */
static int map_main(struct il__dict *d, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return IL_ENOTFOUND;
		return il_error_set(IL_EIO, "%s: cannot open: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		rc = il_error_set(IL_EIO, "%s: cannot stat: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return il_error_set(IL_EFORMAT, "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size < sizeof(struct il__dict_header)) {
		close(fd);
		return bad(path, "shorter than its header", (uint64_t)st.st_size);
	}
	if ((uint64_t)st.st_size > SIZE_MAX / 2) {
		close(fd);
		return il_error_set(IL_ETOOBIG, "%s: dictionary of %llu bytes is too large", path,
				    (unsigned long long)st.st_size);
	}
	d->map_len = (size_t)st.st_size;
	d->map = mmap(NULL, d->map_len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (d->map == MAP_FAILED) {
		d->map = NULL;
		return il_error_set(errno == ENOMEM ? IL_ENOMEM : IL_EIO, "%s: cannot map: %s",
				    path, strerror(errno));
	}
	if ((rc = validate(d, path)) != IL_OK) {
		munmap(d->map, d->map_len);
		d->map = NULL;
	}
	return rc;
}

static int open_main(struct il__dict *d, const char *datadir)
{
	const char *dirs[3];
	char path[PATH_MAX], tried[3 * PATH_MAX / 2];
	size_t n = 0, used = 0;
	if (datadir)
		dirs[n++] = datadir;
#ifdef IL_DICT_BUILD_DIR
	dirs[n++] = IL_DICT_BUILD_DIR;
#endif
#ifdef IL_DICT_SHARE_DIR
	dirs[n++] = IL_DICT_SHARE_DIR;
#endif
	tried[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int len = snprintf(path, sizeof(path), "%s/dict/main.dict", dirs[i]);
		if (len < 0 || (size_t)len >= sizeof(path))
			return il_error_set(IL_EINVAL, "data directory path too long: %s", dirs[i]);
		int rc = map_main(d, path);
		if (rc != IL_ENOTFOUND)
			return rc;
		used += (size_t)snprintf(tried + used, sizeof(tried) - used, "%s%s", i ? ", " : "",
					 path);
		if (used >= sizeof(tried))
			used = sizeof(tried) - 1;
	}
	return il_error_set(IL_EIO,
			    "main dictionary not found (tried %s); it is built by the "
			    "'main_dict' build target",
			    n ? tried : "no directory");
}

static void mark_first(struct il__dict *d, const char *w)
{
	const unsigned char *p = (const unsigned char *)w;
	uint32_t cp;
	if (p[0] < 0x80)
		cp = p[0];
	else if (p[0] < 0xE0)
		cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
	else if (p[0] < 0xF0)
		cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
		     (p[2] & 0x3F);
	else
		cp = 0x10000;
	if (cp > 0xFFFF)
		d->user_first_big = true;
	else
		d->user_first[cp >> 6] |= 1ull << (cp & 63);
}

static int user_put(struct il__dict *d, const char *w, size_t len, uint64_t freq, int tag)
{
	int rc;
	/* every proper prefix, at a character boundary, marks "keep walking" */
	for (size_t i = 1; i < len; i++) {
		if (((unsigned char)w[i] & 0xC0) == 0x80)
			continue;
		if (il_strmap_get(&d->user, w, i) < 0 &&
		    (rc = il_strmap_put(&d->user, w, i, 0, NULL)))
			return rc;
	}
	if ((rc = il_strmap_put(&d->user, w, len, (int64_t)(((freq + 1) << 8) | (unsigned)tag),
				NULL)))
		return rc;
	mark_first(d, w);
	d->user_words++;
	return IL_OK;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static int parse_user(struct il__dict *d, const char *path, char *buf, size_t len)
{
	size_t line = 0;
	char *p = buf, *end = buf + len;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *eol = nl ? nl : end;
		char *f[4];
		size_t fl[4], nf = 0, bad_at;
		line++;
		if (eol > p && eol[-1] == '\r')
			eol--;
		if ((bad_at = il__seg_utf8_check(p, (size_t)(eol - p))) != (size_t)(eol - p))
			return il_error_set(IL_EFORMAT,
					    "%s:%zu: invalid UTF-8 at byte %zu of the line", path,
					    line, bad_at + 1);
		for (char *q = p; q < eol && nf < 4;) {
			while (q < eol && is_space(*q))
				q++;
			if (q == eol)
				break;
			char *fe = q;
			while (fe < eol && !is_space(*fe))
				fe++;
			f[nf] = q;
			fl[nf++] = (size_t)(fe - q);
			q = fe;
		}
		p = nl ? nl + 1 : end;
		if (nf == 0 || f[0][0] == '#')
			continue;
		if (nf > 3)
			return il_error_set(
				IL_EFORMAT,
				"%s:%zu: expected 'word [freq [tag]]', found more than 3 "
				"fields",
				path, line);
		size_t nchars = 0;
		for (size_t i = 0; i < fl[0]; i++) {
			unsigned char c = (unsigned char)f[0][i];
			if ((c & 0xC0) != 0x80)
				nchars++;
			if (c < 0x20 || c == 0x7F)
				return il_error_set(IL_EFORMAT,
						    "%s:%zu: control character in the word", path,
						    line);
		}
		if (nchars > IL__DICT_MAX_CHARS)
			return il_error_set(IL_EFORMAT, "%s:%zu: word longer than %d characters",
					    path, line, IL__DICT_MAX_CHARS);
		uint64_t freq = 0;
		bool have_freq = nf >= 2;
		if (have_freq) {
			for (size_t i = 0; i < fl[1]; i++) {
				if (f[1][i] < '0' || f[1][i] > '9' || freq > UINT32_MAX)
					goto bad_freq;
				freq = freq * 10 + (uint64_t)(f[1][i] - '0');
			}
			if (freq > UINT32_MAX) {
			bad_freq:
				return il_error_set(IL_EFORMAT,
						    "%s:%zu: frequency '%.*s' is not a whole "
						    "number below 2^32",
						    path, line, (int)(fl[1] > 40 ? 40 : fl[1]),
						    f[1]);
			}
		}
		int tag = IL__TAG_NONE;
		if (nf == 3) {
			bool ok = fl[2] <= 7;
			for (size_t i = 0; i < fl[2] && ok; i++)
				ok = f[2][i] >= 'a' && f[2][i] <= 'z';
			if (!ok)
				return il_error_set(IL_EFORMAT,
						    "%s:%zu: tag '%.*s' is not 1-7 letters a-z",
						    path, line, (int)(fl[2] > 40 ? 40 : fl[2]),
						    f[2]);
			for (uint32_t i = 0; i < d->ntags; i++)
				if (strlen(d->tags[i]) == fl[2] &&
				    memcmp(d->tags[i], f[2], fl[2]) == 0)
					tag = (int)i;
		}
		if (!have_freq) {
			/* jieba's suggest_freq: just above the probability of the
			 * word's best split, so the word is cut whole;
			 * freq = max(floor(exp(best) * total) + 1, its own frequency) */
			struct il__dict_entry e;
			double best;
			int rc = il__seg_best_logp(d, f[0], fl[0], &best);
			if (rc)
				return rc;
			double fb = floor(exp(best) * (double)d->total_freq) + 1.0;
			freq = fb > (double)UINT32_MAX ? UINT32_MAX : (uint64_t)fb;
			il__dict_lookup(d, f[0], fl[0], &e);
			if (e.found && e.freq > freq)
				freq = e.freq;
		}
		int rc = user_put(d, f[0], fl[0], freq, tag);
		if (rc)
			return rc;
	}
	return IL_OK;
}

static int load_user_file(struct il__dict *d, const char *path)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = IL_OK;
	if (fd < 0)
		return il_error_set(IL_EIO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = il_error_set(IL_EIO, "%s: cannot stat: %s", path, strerror(errno));
		goto cleanup;
	}
	if ((uint64_t)st.st_size > USER_FILE_MAX) {
		rc = il_error_set(IL_ETOOBIG, "%s: user dictionary larger than %u bytes", path,
				  USER_FILE_MAX);
		goto cleanup;
	}
	if (!(buf = il_malloc((size_t)st.st_size + 1))) {
		rc = il_error_set(IL_ENOMEM, "%s: out of memory reading the dictionary", path);
		goto cleanup;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = il_error_set(IL_EIO, "%s: cannot read: %s", path, strerror(errno));
			goto cleanup;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	rc = parse_user(d, path, buf, got);
	if (rc == IL_ENOMEM)
		il_error_set(IL_ENOMEM, "%s: out of memory loading the dictionary", path);
cleanup:
	free(buf);
	close(fd);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool has_txt_suffix(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && name[0] != '.' && strcmp(name + n - 4, ".txt") == 0;
}

static int load_user(struct il__dict *d, const char *datadir)
{
	char dir[PATH_MAX], path[PATH_MAX];
	char **names = NULL;
	size_t n = 0;
	int rc = IL_OK;
	DIR *dp;
	struct dirent *e;
	int len = snprintf(dir, sizeof(dir), "%s/dict", datadir);
	if (len < 0 || (size_t)len >= sizeof(dir))
		return il_error_set(IL_EINVAL, "data directory path too long: %s", datadir);
	if (!(dp = opendir(dir)))
		return errno == ENOENT || errno == ENOTDIR
			       ? IL_OK
			       : il_error_set(IL_EIO, "%s: cannot list: %s", dir, strerror(errno));
	if (!(names = il_calloc(USER_MAX_FILES, sizeof(*names)))) {
		rc = il_error_set(IL_ENOMEM, "%s: out of memory listing user dictionaries", dir);
		goto cleanup;
	}
	while ((e = readdir(dp)) != NULL) {
		if (!has_txt_suffix(e->d_name))
			continue;
		if (n == USER_MAX_FILES) {
			rc = il_error_set(IL_ETOOBIG, "%s: more than %d user dictionaries", dir,
					  USER_MAX_FILES);
			goto cleanup;
		}
		if (!(names[n] = il_strdup(e->d_name))) {
			rc = il_error_set(IL_ENOMEM, "%s: out of memory listing user dictionaries",
					  dir);
			goto cleanup;
		}
		n++;
	}
	if (n > 1) /* qsort's array may not be NULL, even when empty */
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && rc == IL_OK; i++) {
		len = snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (len < 0 || (size_t)len >= sizeof(path))
			rc = il_error_set(IL_EINVAL, "path too long: %s/%s", dir, names[i]);
		else
			rc = load_user_file(d, path);
	}
cleanup:
	if (names)
		for (size_t i = 0; i < n; i++)
			free(names[i]);
	free(names);
	closedir(dp);
	return rc;
}

static const char *user_dir(const char *datadir)
{
	if (datadir)
		return datadir;
#ifdef IL_DICT_SOURCE_DIR
	{
		struct stat st;
		if (stat(IL_DICT_SOURCE_DIR "/dict", &st) == 0 && S_ISDIR(st.st_mode))
			return IL_DICT_SOURCE_DIR;
	}
#endif
#ifdef IL_DICT_SHARE_DIR
	return IL_DICT_SHARE_DIR;
#else
	return NULL;
#endif
}

int il__dict_open(const char *datadir, unsigned flags, struct il__dict **out)
{
	struct il__dict *d;
	int rc;
	*out = NULL;
	if (!(d = il_calloc(1, sizeof(*d))))
		return il_error_set(IL_ENOMEM, "out of memory opening the dictionary");
	il_strmap_init(&d->user);
	if ((rc = open_main(d, datadir)) != IL_OK)
		goto fail;
	if (!(flags & IL_TEXT_NO_USER_DICT)) {
		const char *dir = user_dir(datadir);
		if (dir && (rc = load_user(d, dir)) != IL_OK)
			goto fail;
	}
	*out = d;
	return IL_OK;
fail:
	il__dict_close(d);
	return rc;
}

void il__dict_close(struct il__dict *d)
{
	if (!d)
		return;
	il_strmap_release(&d->user);
	if (d->map)
		munmap(d->map, d->map_len);
	free(d);
}
