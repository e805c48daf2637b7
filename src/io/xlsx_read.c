/*
 * xlsx_read.c - reads one worksheet of an XLSX workbook as rows of text.
 *
 * An XLSX file is a zip of XML parts.  Opening reads the small parts whole
 * through libxml2's streaming reader: xl/_rels/workbook.xml.rels (where the
 * parts are), xl/workbook.xml (sheet names, the 1904 date system),
 * xl/styles.xml (which cell styles show dates) and xl/sharedStrings.xml (the
 * text of t="s" cells, rich-text runs concatenated, phonetic runs left out).
 * The worksheet itself is streamed from the zip one <row> at a time, so its
 * size costs no memory.
 *
 * Invariants: every byte inflated from the zip is counted, and a part past
 * its cap (XLSX_MAX_SST for shared strings, XLSX_MAX_TOTAL for everything)
 * fails with IL_ETOOBIG, so a zip bomb stops early whatever sizes the zip
 * directory claims.  Entities are never expanded and nothing is fetched
 * from the network.  Depends on table.c's row builder, libzip and libxml2.
 */
#include "io_internal.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define XLSX_MAX_TOTAL (512ull << 20) /* inflated bytes over all parts */
#define XLSX_MAX_SST (64ull << 20) /* sharedStrings.xml */
#define XLSX_MAX_PART (16ull << 20) /* workbook, rels, styles */
#define XLSX_MAX_XF 65536u /* Excel allows 64000 cell formats */
#define XLSX_MAX_RELS 65536u
#define XLSX_MAX_COL 16384u /* column XFD */

#if LIBXML_VERSION >= 21200
typedef const xmlError *xlsx_xml_error_t;
#else
typedef xmlErrorPtr xlsx_xml_error_t;
#endif

struct xlsx;

/* One zip entry being parsed: libxml2 pulls bytes through part_read(). */
struct part {
	struct xlsx *x;
	zip_file_t *zf;
	const char *entry;
	uint64_t read, cap, size;
	xmlTextReaderPtr rd;
};

struct rel {
	char *id, *type, *target;
};

enum cell_kind {
	CELL_NUMBER,
	CELL_SHARED,
	CELL_INLINE,
	CELL_STR,
	CELL_BOOL,
	CELL_ERROR,
	CELL_DATE
};

struct xlsx {
	zip_t *zip;
	const char *name;
	char *sheet; /* its name, for `where` */
	char *sheet_entry;
	bool date1904;
	uint64_t total; /* bytes inflated so far */
	int io_err; /* set by part_read(); libxml2 only sees a failed read */
	char io_msg[512];
	char xml_msg[256];
	int xml_line;
	struct rel *rels;
	size_t nrels;
	struct il_buf sst; /* shared strings, each NUL-terminated */
	size_t *sst_off; /* nsst + 1 offsets */
	size_t nsst, sst_cap;
	unsigned char *xf_date; /* per cell format: 1 when it shows a date */
	size_t nxf;
	unsigned *date_fmts; /* custom number formats that show dates */
	size_t ndate_fmts;
	struct part sheet_part;
	bool sheet_open;
	bool header_done;
	bool eof;
	size_t rownum; /* number of the row being read (1-based) */
	struct il__io_rowbuf rb;
	struct il_buf cell; /* text of the cell being read */
	char *key_store;
	const char **keys;
	size_t ncols;
	struct il_buf where;
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2 must be initialised once before threads use it; it is never
 * cleaned up here because other parts of the process may still use it. */
static void xml_init(void)
{
	xmlInitParser();
}

static void xml_error(void *arg, xlsx_xml_error_t e)
{
	struct xlsx *x = arg;
	if (x->xml_msg[0] || !e || e->level < XML_ERR_ERROR)
		return;
	snprintf(x->xml_msg, sizeof(x->xml_msg), "%s", e->message ? e->message : "malformed XML");
	size_t n = strlen(x->xml_msg);
	while (n && (x->xml_msg[n - 1] == '\n' || x->xml_msg[n - 1] == ' '))
		x->xml_msg[--n] = '\0';
	x->xml_line = e->line;
}

static int io_fail(struct xlsx *x, int code, const char *fmt, ...) IL_PRINTF(3, 4);

static int io_fail(struct xlsx *x, int code, const char *fmt, ...)
{
	va_list ap;
	if (x->io_err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(x->io_msg, sizeof(x->io_msg), fmt, ap);
	va_end(ap);
	x->io_err = code;
	return -1;
}

static int part_read(void *ctx, char *buf, int len)
{
	struct part *p = ctx;
	struct xlsx *x = p->x;
	if (len <= 0)
		return 0;
	zip_int64_t n = zip_fread(p->zf, buf, (zip_uint64_t)len);
	if (n < 0)
		return io_fail(x, IL_EFORMAT, "%s: %s is damaged (%s); truncated file?", x->name,
			       p->entry, zip_file_strerror(p->zf));
	p->read += (uint64_t)n;
	x->total += (uint64_t)n;
	if (p->read > p->cap || x->total > XLSX_MAX_TOTAL)
		return io_fail(x, IL_ETOOBIG,
			       "%s: %s inflates past the limit of %llu MiB (a zip bomb?)", x->name,
			       p->entry,
			       (unsigned long long)((p->read > p->cap ? p->cap : XLSX_MAX_TOTAL) >>
						    20));
	return (int)n;
}

static void part_close(struct part *p)
{
	if (p->rd)
		xmlFreeTextReader(p->rd);
	if (p->zf)
		zip_fclose(p->zf);
	p->rd = NULL;
	p->zf = NULL;
}

/* libxml2 reports some errors (bad encodings, I/O) only through its
 * per-thread generic handler, which prints to stderr; the reader's own
 * handler gets the message that matters. */
static void xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Opens entry for streaming.  IL_ENOTFOUND when it is absent and
 * `optional`; IL_EFORMAT when absent otherwise. */
static int part_open(struct xlsx *x, struct part *p, const char *entry, uint64_t cap, bool optional)
{
	zip_stat_t st;
	memset(p, 0, sizeof(*p));
	p->x = x;
	p->entry = entry;
	p->cap = cap;
	x->xml_msg[0] = '\0';
	zip_int64_t idx = zip_name_locate(x->zip, entry, ZIP_FL_NOCASE);
	if (idx < 0) {
		if (optional)
			return IL_ENOTFOUND;
		return il_error_set(IL_EFORMAT, "%s: %s is missing; not an XLSX workbook?", x->name,
				    entry);
	}
	if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) {
		p->size = st.size;
		if (st.size > cap || x->total + st.size > XLSX_MAX_TOTAL)
			return il_error_set(IL_ETOOBIG,
					    "%s: %s would inflate to %llu bytes, past the limit of "
					    "%llu MiB (a zip bomb?)",
					    x->name, entry, (unsigned long long)st.size,
					    (unsigned long long)((st.size > cap ? cap
										: XLSX_MAX_TOTAL) >>
								 20));
	}
	p->zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
	if (!p->zf)
		return il_error_set(IL_EFORMAT, "%s: cannot read %s: %s", x->name, entry,
				    zip_strerror(x->zip));
	xmlGenericErrorFunc old = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, xml_quiet);
	p->rd = xmlReaderForIO(part_read, NULL, p, entry, NULL, XML_PARSE_NONET);
	xmlSetGenericErrorFunc(old_ctx, old);
	if (!p->rd) {
		part_close(p);
		return IL_ENOMEM;
	}
	xmlTextReaderSetStructuredErrorHandler(p->rd, xml_error, x);
	return IL_OK;
}

/* Advances to the next node; *type is 0 at the end of the part. */
static int part_step(struct xlsx *x, struct part *p, int *type)
{
	xmlGenericErrorFunc old = xmlGenericError;
	void *old_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, xml_quiet);
	int r = xmlTextReaderRead(p->rd);
	xmlSetGenericErrorFunc(old_ctx, old);
	if (x->io_err)
		return il_error_set(x->io_err, "%s", x->io_msg);
	if (r == 1) {
		*type = xmlTextReaderNodeType(p->rd);
		return IL_OK;
	}
	if (r == 0) {
		*type = 0;
		return IL_OK;
	}
	return il_error_set(IL_EFORMAT, "%s: %s, line %d: %s", x->name, p->entry, x->xml_line,
			    x->xml_msg[0] ? x->xml_msg : "malformed XML");
}

static const char *node_name(const struct part *p)
{
	const xmlChar *n = xmlTextReaderConstLocalName(p->rd);
	return n ? (const char *)n : "";
}

static bool is_text(int type)
{
	return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	       type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* Copies the value of the attribute with local name `name` of the current
 * element into out[size]; false when absent or longer than out.  Prefixes
 * are ignored, so r:id and id are the same. */
static bool attr_get(struct part *p, const char *name, char *out, size_t size)
{
	bool found = false;
	out[0] = '\0';
	if (xmlTextReaderMoveToFirstAttribute(p->rd) != 1)
		return false;
	do {
		if (strcmp(node_name(p), name) == 0) {
			const xmlChar *v = xmlTextReaderConstValue(p->rd);
			size_t n = v ? strlen((const char *)v) : 0;
			if (n < size) {
				memcpy(out, v ? (const char *)v : "", n + 1);
				found = true;
			}
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(p->rd) == 1);
	xmlTextReaderMoveToElement(p->rd);
	return found;
}

/* The same into a fresh il_strdup'ed string; *out NULL when absent. */
static int attr_dup(struct part *p, const char *name, char **out)
{
	*out = NULL;
	if (xmlTextReaderMoveToFirstAttribute(p->rd) != 1)
		return IL_OK;
	do {
		if (strcmp(node_name(p), name) == 0) {
			const xmlChar *v = xmlTextReaderConstValue(p->rd);
			*out = il_strdup(v ? (const char *)v : "");
			xmlTextReaderMoveToElement(p->rd);
			return *out ? IL_OK : IL_ENOMEM;
		}
	} while (xmlTextReaderMoveToNextAttribute(p->rd) == 1);
	xmlTextReaderMoveToElement(p->rd);
	return IL_OK;
}

static bool parse_uint(const char *s, size_t max, size_t *out)
{
	size_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (size_t)(*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* OOXML escapes characters XML cannot hold as _xHHHH_ ("_x000D_" for CR,
 * "_x005F_" for a literal underscore); decodes them in place. */
static size_t unescape_x(char *s, size_t n)
{
	size_t i = 0, o = 0;
	while (i < n) {
		unsigned cp = 0;
		bool hex = s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_';
		for (size_t k = 2; hex && k < 6; k++) {
			char c = s[i + k];
			unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
				     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
				     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
							    : 16u;
			hex = d < 16;
			cp = cp * 16 + d;
		}
		if (!hex || cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
			s[o++] = s[i++];
			continue;
		}
		if (cp < 0x80) {
			s[o++] = (char)cp;
		} else if (cp < 0x800) {
			s[o++] = (char)(0xC0 | (cp >> 6));
			s[o++] = (char)(0x80 | (cp & 0x3F));
		} else {
			s[o++] = (char)(0xE0 | (cp >> 12));
			s[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			s[o++] = (char)(0x80 | (cp & 0x3F));
		}
		i += 7;
	}
	if (o < n)
		s[o] = '\0';
	return o;
}

static void rels_free(struct xlsx *x)
{
	for (size_t i = 0; i < x->nrels; i++) {
		free(x->rels[i].id);
		free(x->rels[i].type);
		free(x->rels[i].target);
	}
	free(x->rels);
	x->rels = NULL;
	x->nrels = 0;
}

static int read_rels(struct xlsx *x)
{
	struct part p;
	size_t cap = 0;
	int type, rc = part_open(x, &p, "xl/_rels/workbook.xml.rels", XLSX_MAX_PART, false);
	if (rc)
		return rc;
	while ((rc = part_step(x, &p, &type)) == IL_OK && type) {
		if (type != XML_READER_TYPE_ELEMENT || strcmp(node_name(&p), "Relationship") != 0)
			continue;
		if (x->nrels == XLSX_MAX_RELS) {
			rc = il_error_set(IL_ETOOBIG, "%s: more than %u relationships", x->name,
					  XLSX_MAX_RELS);
			break;
		}
		if (x->nrels == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct rel *r = il_realloc(x->rels, ncap * sizeof(*r));
			if (!r) {
				rc = IL_ENOMEM;
				break;
			}
			x->rels = r;
			cap = ncap;
		}
		struct rel *r = &x->rels[x->nrels];
		memset(r, 0, sizeof(*r));
		x->nrels++;
		if ((rc = attr_dup(&p, "Id", &r->id)) != IL_OK ||
		    (rc = attr_dup(&p, "Type", &r->type)) != IL_OK ||
		    (rc = attr_dup(&p, "Target", &r->target)) != IL_OK)
			break;
	}
	part_close(&p);
	return rc;
}

static const struct rel *rel_by_id(const struct xlsx *x, const char *id)
{
	for (size_t i = 0; i < x->nrels; i++)
		if (x->rels[i].id && x->rels[i].type && x->rels[i].target &&
		    strcmp(x->rels[i].id, id) == 0)
			return &x->rels[i];
	return NULL;
}

static bool type_is(const struct rel *r, const char *suffix)
{
	size_t n = strlen(r->type), m = strlen(suffix);
	return n >= m && strcmp(r->type + n - m, suffix) == 0;
}

/* The zip entry a relationship points at: targets are relative to xl/
 * unless they start with '/'. */
static int rel_entry(const struct rel *r, char **out)
{
	struct il_buf b;
	int rc;
	il_buf_init(&b, 4096);
	if (r->target[0] == '/')
		rc = il_buf_adds(&b, r->target + 1);
	else if ((rc = il_buf_adds(&b, "xl/")) == IL_OK)
		rc = il_buf_adds(&b, r->target);
	if (rc) {
		il_buf_release(&b);
		return rc;
	}
	*out = il_buf_detach(&b);
	return *out ? IL_OK : IL_ENOMEM;
}

static const struct rel *rel_by_type(const struct xlsx *x, const char *suffix)
{
	for (size_t i = 0; i < x->nrels; i++)
		if (x->rels[i].type && x->rels[i].target && type_is(&x->rels[i], suffix))
			return &x->rels[i];
	return NULL;
}

/* Picks the sheet: by name when asked, else the first visible worksheet
 * (a hidden first sheet usually holds lookup lists, not the data). */
static int read_workbook(struct xlsx *x, const char *want)
{
	struct part p;
	struct il_buf names;
	char *name = NULL, *id = NULL, *state = NULL, *first_hidden = NULL;
	char *first_hidden_entry = NULL;
	int type, rc = part_open(x, &p, "xl/workbook.xml", XLSX_MAX_PART, false);
	if (rc)
		return rc;
	il_buf_init(&names, 4096);
	while ((rc = part_step(x, &p, &type)) == IL_OK && type && !x->sheet) {
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		const char *el = node_name(&p);
		if (strcmp(el, "workbookPr") == 0) {
			char v[16];
			if (attr_get(&p, "date1904", v, sizeof(v)))
				x->date1904 = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
			continue;
		}
		if (strcmp(el, "sheet") != 0)
			continue;
		free(name);
		free(id);
		free(state);
		name = id = state = NULL;
		if ((rc = attr_dup(&p, "name", &name)) != IL_OK ||
		    (rc = attr_dup(&p, "id", &id)) != IL_OK ||
		    (rc = attr_dup(&p, "state", &state)) != IL_OK)
			break;
		if (!name || !id)
			continue;
		const struct rel *r = rel_by_id(x, id);
		if (!r || !type_is(r, "/worksheet"))
			continue; /* a chart sheet or a dangling reference */
		if (want) {
			if ((rc = il_buf_addf(&names, "%s\"%s\"", names.len ? ", " : "", name)) !=
				    IL_OK &&
			    rc != IL_ETOOBIG)
				break;
			rc = IL_OK;
			if (strcmp(name, want) != 0)
				continue;
		} else if (state && strcmp(state, "visible") != 0) {
			if (!first_hidden) {
				first_hidden = name;
				name = NULL;
				if ((rc = rel_entry(r, &first_hidden_entry)) != IL_OK)
					break;
			}
			continue;
		}
		if ((rc = rel_entry(r, &x->sheet_entry)) != IL_OK)
			break;
		x->sheet = name;
		name = NULL;
	}
	part_close(&p);
	if (rc == IL_OK && !x->sheet && !want && first_hidden) {
		x->sheet = first_hidden;
		x->sheet_entry = first_hidden_entry;
		first_hidden = first_hidden_entry = NULL;
	}
	if (rc == IL_OK && !x->sheet) {
		if (want)
			rc = il_error_set(IL_ENOTFOUND,
					  "%s: no worksheet named \"%s\" (there are %s)", x->name,
					  want, names.len ? names.ptr : "none");
		else
			rc = il_error_set(IL_EFORMAT, "%s: the workbook has no worksheet", x->name);
	}
	free(name);
	free(id);
	free(state);
	free(first_hidden);
	free(first_hidden_entry);
	il_buf_release(&names);
	return rc;
}

/* Built-in number formats that show dates: 14-17 and 22 everywhere, and in
 * Chinese (and Japanese, Korean) Excel 27-31, 36, 50-54, 57 and 58
 * ("yyyy年m月d日" and the like).  18-21, 32-35, 55 and 56 are times of day. */
static bool builtin_date(size_t id)
{
	return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 31) || id == 36 ||
	       (id >= 50 && id <= 54) || id == 57 || id == 58;
}

/* A custom format shows a date when its first section has a y or d, or an
 * m that is not minutes (no h or s beside it).  Quoted text, escaped
 * characters and [...] (colours, locales, elapsed time) are not codes. */
static bool format_is_date(const char *f)
{
	bool date = false, month = false, time = false;
	for (const char *p = f; *p && *p != ';'; p++) {
		switch (*p) {
		case '"':
			while (p[1] && p[1] != '"')
				p++;
			if (p[1])
				p++;
			break;
		case '\\':
		case '_':
		case '*':
			if (p[1])
				p++;
			break;
		case '[':
			while (p[1] && p[1] != ']')
				p++;
			if (p[1])
				p++;
			break;
		case 'y':
		case 'Y':
		case 'd':
		case 'D':
			date = true;
			break;
		case 'm':
		case 'M':
			month = true;
			break;
		case 'h':
		case 'H':
		case 's':
		case 'S':
			time = true;
			break;
		default:
			break;
		}
	}
	return date || (month && !time);
}

static bool fmt_is_date(const struct xlsx *x, size_t id)
{
	for (size_t i = 0; i < x->ndate_fmts; i++)
		if (x->date_fmts[i] == id)
			return true;
	return builtin_date(id);
}

static int read_styles(struct xlsx *x, const char *entry)
{
	struct part p;
	size_t xf_cap = 0, fmt_cap = 0;
	bool in_xfs = false;
	int type, rc = part_open(x, &p, entry, XLSX_MAX_PART, true);
	if (rc == IL_ENOTFOUND)
		return IL_OK;
	if (rc)
		return rc;
	while ((rc = part_step(x, &p, &type)) == IL_OK && type) {
		const char *el = node_name(&p);
		if (type == XML_READER_TYPE_END_ELEMENT) {
			if (strcmp(el, "cellXfs") == 0)
				in_xfs = false;
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (strcmp(el, "cellXfs") == 0) {
			in_xfs = !xmlTextReaderIsEmptyElement(p.rd);
		} else if (strcmp(el, "numFmt") == 0) {
			char idtxt[16];
			char *code = NULL;
			size_t id;
			if (!attr_get(&p, "numFmtId", idtxt, sizeof(idtxt)) ||
			    !parse_uint(idtxt, 1u << 20, &id))
				continue;
			if ((rc = attr_dup(&p, "formatCode", &code)) != IL_OK)
				break;
			bool date = code && format_is_date(code);
			free(code);
			if (!date || x->ndate_fmts == XLSX_MAX_XF)
				continue;
			if (x->ndate_fmts == fmt_cap) {
				size_t ncap = fmt_cap ? fmt_cap * 2 : 16;
				unsigned *d = il_realloc(x->date_fmts, ncap * sizeof(*d));
				if (!d) {
					rc = IL_ENOMEM;
					break;
				}
				x->date_fmts = d;
				fmt_cap = ncap;
			}
			x->date_fmts[x->ndate_fmts++] = (unsigned)id;
		} else if (in_xfs && strcmp(el, "xf") == 0) {
			char idtxt[16];
			size_t id = 0;
			if (x->nxf == XLSX_MAX_XF)
				continue;
			if (x->nxf == xf_cap) {
				size_t ncap = xf_cap ? xf_cap * 2 : 64;
				unsigned char *d = il_realloc(x->xf_date, ncap);
				if (!d) {
					rc = IL_ENOMEM;
					break;
				}
				x->xf_date = d;
				xf_cap = ncap;
			}
			if (attr_get(&p, "numFmtId", idtxt, sizeof(idtxt)))
				parse_uint(idtxt, 1u << 20, &id);
			x->xf_date[x->nxf++] = fmt_is_date(x, id) ? 1 : 0;
		}
	}
	part_close(&p);
	return rc;
}

static int sst_push_end(struct xlsx *x, size_t start)
{
	size_t n = unescape_x(x->sst.ptr ? x->sst.ptr + start : NULL, x->sst.len - start);
	int rc;
	x->sst.len = start + n;
	if ((rc = il_buf_addc(&x->sst, '\0')) != IL_OK)
		return rc;
	if (x->nsst + 1 >= x->sst_cap) {
		size_t ncap = x->sst_cap ? x->sst_cap * 2 : 256;
		size_t *o = il_realloc(x->sst_off, ncap * sizeof(*o));
		if (!o)
			return IL_ENOMEM;
		x->sst_off = o;
		x->sst_cap = ncap;
	}
	x->sst_off[x->nsst] = start;
	x->nsst++;
	x->sst_off[x->nsst] = x->sst.len;
	return IL_OK;
}

static int read_shared_strings(struct xlsx *x, const char *entry)
{
	struct part p;
	bool in_si = false, in_t = false, in_rph = false;
	size_t start = 0;
	int type, rc = part_open(x, &p, entry, XLSX_MAX_SST, true);
	if (rc == IL_ENOTFOUND)
		return IL_OK;
	if (rc)
		return rc;
	while ((rc = part_step(x, &p, &type)) == IL_OK && type) {
		const char *el;
		if (is_text(type)) {
			if (in_t) {
				const xmlChar *v = xmlTextReaderConstValue(p.rd);
				if (v && (rc = il_buf_adds(&x->sst, (const char *)v)) != IL_OK)
					break;
			}
			continue;
		}
		el = node_name(&p);
		if (type == XML_READER_TYPE_ELEMENT) {
			bool empty = xmlTextReaderIsEmptyElement(p.rd) == 1;
			if (strcmp(el, "si") == 0) {
				start = x->sst.len;
				in_si = !empty;
				if (empty && (rc = sst_push_end(x, start)) != IL_OK)
					break;
			} else if (strcmp(el, "rPh") == 0) {
				in_rph = !empty;
			} else if (strcmp(el, "t") == 0) {
				in_t = in_si && !in_rph && !empty;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (strcmp(el, "t") == 0) {
				in_t = false;
			} else if (strcmp(el, "rPh") == 0) {
				in_rph = false;
			} else if (strcmp(el, "si") == 0 && in_si) {
				in_si = false;
				if ((rc = sst_push_end(x, start)) != IL_OK)
					break;
			}
		}
	}
	if (rc == IL_ETOOBIG && !x->io_err)
		rc = il_error_set(IL_ETOOBIG, "%s: shared strings exceed %llu MiB", x->name,
				  XLSX_MAX_SST >> 20);
	part_close(&p);
	return rc;
}

/* Parses "BC12" into a 0-based column; the row part is not checked
 * against the <row>, as Excel does not either. */
static bool parse_ref(const char *s, size_t *col)
{
	size_t c = 0, i = 0;
	for (; (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'); i++) {
		c = c * 26 + (size_t)((s[i] | 0x20) - 'a' + 1);
		if (c > XLSX_MAX_COL)
			return false;
	}
	if (i == 0)
		return false;
	for (size_t k = i; s[k]; k++)
		if (s[k] < '0' || s[k] > '9')
			return false;
	*col = c - 1;
	return true;
}

/*
 * Serial day numbers to dates.  The 1900 system counts 1900-01-01 as day 1
 * and, copying Lotus 1-2-3, believes 1900 was a leap year: day 60 is the
 * non-existent 1900-02-29, so from day 61 on the epoch is 1899-12-30 and
 * before it 1899-12-31.  The 1904 system (old Mac workbooks) counts from
 * 1904-01-01 as day 0.  Days since 1970-01-01 go to a civil date with
 * Howard Hinnant's days_from_civil inverse.
 */
static bool serial_to_date(double v, bool date1904, char out[32])
{
	long days;
	if (!(v >= (date1904 ? 0.0 : 1.0)) || v >= 2958466.0)
		return false; /* before the epoch or after 9999-12-31 */
	/* Round to the millisecond Excel keeps before dropping the time. */
	long serial = (long)floor(v + 0.5 / 86400000.0);
	if (date1904) {
		days = serial - 24107;
	} else if (serial == 60) {
		snprintf(out, 32, "1900-02-29");
		return true;
	} else {
		days = serial < 60 ? serial - 25568 : serial - 25569;
	}
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	long y = yoe + era * 400 + (m <= 2);
	/* y is 1899..9999 by the range check above; the moduli tell the
	 * compiler the widths. */
	snprintf(out, 32, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
	return true;
}

struct cell_info {
	size_t col;
	size_t style;
	enum cell_kind kind;
	char ref[24];
};

/* Turns the text collected for a cell into its value, in place in x->cell
 * or in `tmp`; returns the value. */
static int cell_value(struct xlsx *x, const struct cell_info *ci, const char **val, size_t *len,
		      char tmp[32])
{
	char *s = x->cell.ptr ? x->cell.ptr : (char *)"";
	size_t n = x->cell.len, idx;
	double d;
	*val = s;
	*len = n;
	switch (ci->kind) {
	case CELL_SHARED:
		if (!parse_uint(s, SIZE_MAX / 16, &idx) || idx >= x->nsst)
			return il_error_set(IL_EFORMAT,
					    "%s:%s!%s: shared string \"%s\" does not exist (the "
					    "workbook has %zu)",
					    x->name, x->sheet, ci->ref, s, x->nsst);
		*val = x->sst.ptr + x->sst_off[idx];
		*len = x->sst_off[idx + 1] - x->sst_off[idx] - 1;
		break;
	case CELL_INLINE:
	case CELL_STR:
		*len = unescape_x(s, n);
		break;
	case CELL_BOOL:
		if (strcmp(s, "1") == 0)
			*val = "true";
		else if (strcmp(s, "0") == 0)
			*val = "false";
		*len = strlen(*val);
		break;
	case CELL_ERROR:
		break;
	case CELL_DATE:
		/* ISO 8601 in the cell: keep the date part. */
		if (n > 10 && s[10] == 'T')
			*len = 10;
		break;
	case CELL_NUMBER:
		if (n == 0 || !il__io_parse_number(s, &d))
			break;
		if (ci->style < x->nxf && x->xf_date[ci->style] &&
		    serial_to_date(d, x->date1904, tmp))
			*val = tmp;
		else
			il__io_format_number(d, tmp);
		*val = tmp;
		*len = strlen(tmp);
		break;
	}
	return IL_OK;
}

static int finish_cell(struct xlsx *x, const struct cell_info *ci)
{
	const char *val;
	size_t len;
	char tmp[32];
	int rc;
	size_t limit = x->header_done ? x->ncols : IL_IO_MAX_COLUMNS;
	if (ci->col < x->rb.n)
		return il_error_set(IL_EFORMAT, "%s:%s!%s: cell out of order in row %zu", x->name,
				    x->sheet, ci->ref, x->rownum);
	if ((rc = cell_value(x, ci, &val, &len, tmp)) != IL_OK)
		return rc;
	if (ci->col >= limit) {
		if (len == 0)
			return IL_OK;
		if (!x->header_done)
			return il_error_set(IL_ETOOBIG, "%s:%s!%s: more than %u columns", x->name,
					    x->sheet, ci->ref, IL_IO_MAX_COLUMNS);
		char last[8];
		il__io_col_name(x->ncols - 1, last);
		return il_error_set(IL_EFORMAT,
				    "%s:%s!%s: value \"%.40s\" is outside the header's columns A "
				    "to %s",
				    x->name, x->sheet, ci->ref, val, last);
	}
	if (len > IL_IO_MAX_CELL)
		return il_error_set(IL_ETOOBIG, "%s:%s!%s: cell longer than %u bytes", x->name,
				    x->sheet, ci->ref, IL_IO_MAX_CELL);
	while (x->rb.n < ci->col)
		if ((rc = il__io_rowbuf_end_cell(&x->rb)) != IL_OK)
			return rc;
	return il__io_rowbuf_push(&x->rb, val, len);
}

static int start_cell(struct xlsx *x, struct part *p, struct cell_info *ci, size_t next_col)
{
	char t[16], s[16];
	ci->col = next_col;
	ci->style = 0;
	ci->kind = CELL_NUMBER;
	il_buf_reset(&x->cell);
	if (attr_get(p, "r", ci->ref, sizeof(ci->ref))) {
		if (!parse_ref(ci->ref, &ci->col))
			return il_error_set(IL_EFORMAT, "%s:%s!row %zu: bad cell reference \"%s\"",
					    x->name, x->sheet, x->rownum, ci->ref);
	} else {
		char col[8];
		if (ci->col >= XLSX_MAX_COL)
			return il_error_set(IL_EFORMAT, "%s:%s!row %zu: more than %u cells",
					    x->name, x->sheet, x->rownum, XLSX_MAX_COL);
		il__io_col_name(ci->col, col);
		snprintf(ci->ref, sizeof(ci->ref), "%s%zu", col, x->rownum);
	}
	if (attr_get(p, "s", s, sizeof(s)))
		parse_uint(s, XLSX_MAX_XF, &ci->style);
	if (attr_get(p, "t", t, sizeof(t))) {
		if (strcmp(t, "s") == 0)
			ci->kind = CELL_SHARED;
		else if (strcmp(t, "inlineStr") == 0)
			ci->kind = CELL_INLINE;
		else if (strcmp(t, "str") == 0)
			ci->kind = CELL_STR;
		else if (strcmp(t, "b") == 0)
			ci->kind = CELL_BOOL;
		else if (strcmp(t, "e") == 0)
			ci->kind = CELL_ERROR;
		else if (strcmp(t, "d") == 0)
			ci->kind = CELL_DATE;
	}
	return IL_OK;
}

/* Reads up to the end of the next <row> into x->rb; *eof after the last. */
static int read_row(struct xlsx *x, bool *eof)
{
	struct part *p = &x->sheet_part;
	struct cell_info ci;
	bool in_row = false, in_cell = false, in_is = false, in_rph = false, collect = false;
	size_t next_col = 0;
	int type, rc;
	*eof = false;
	memset(&ci, 0, sizeof(ci));
	for (;;) {
		if ((rc = part_step(x, p, &type)) != IL_OK)
			return rc;
		if (!type) {
			*eof = true;
			return IL_OK;
		}
		if (is_text(type)) {
			if (collect) {
				const xmlChar *v = xmlTextReaderConstValue(p->rd);
				if (v && (rc = il_buf_adds(&x->cell, (const char *)v)) != IL_OK) {
					if (rc == IL_ETOOBIG)
						rc = il_error_set(
							IL_ETOOBIG,
							"%s:%s!%s: cell longer than %u bytes",
							x->name, x->sheet, ci.ref, IL_IO_MAX_CELL);
					return rc;
				}
			}
			continue;
		}
		const char *el = node_name(p);
		if (type == XML_READER_TYPE_ELEMENT) {
			bool empty = xmlTextReaderIsEmptyElement(p->rd) == 1;
			if (!in_row) {
				if (strcmp(el, "row") != 0)
					continue;
				char r[24];
				size_t num;
				if (attr_get(p, "r", r, sizeof(r))) {
					if (!parse_uint(r, 1u << 24, &num) || num == 0)
						return il_error_set(
							IL_EFORMAT,
							"%s:%s: bad row number \"%s\" after "
							"row %zu",
							x->name, x->sheet, r, x->rownum);
					x->rownum = num;
				} else {
					x->rownum++;
				}
				il__io_rowbuf_reset(&x->rb);
				next_col = 0;
				if (empty)
					return IL_OK;
				in_row = true;
			} else if (strcmp(el, "c") == 0) {
				if ((rc = start_cell(x, p, &ci, next_col)) != IL_OK)
					return rc;
				next_col = ci.col + 1;
				in_cell = !empty;
				in_is = in_rph = collect = false;
				if (empty && (rc = finish_cell(x, &ci)) != IL_OK)
					return rc;
			} else if (in_cell && strcmp(el, "v") == 0) {
				collect = !empty && !in_is;
			} else if (in_cell && strcmp(el, "is") == 0) {
				in_is = !empty;
			} else if (in_is && strcmp(el, "rPh") == 0) {
				in_rph = !empty;
			} else if (in_is && strcmp(el, "t") == 0) {
				collect = !empty && !in_rph;
			}
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0) {
				collect = false;
			} else if (strcmp(el, "rPh") == 0) {
				in_rph = false;
			} else if (strcmp(el, "is") == 0) {
				in_is = false;
			} else if (in_cell && strcmp(el, "c") == 0) {
				in_cell = false;
				if ((rc = finish_cell(x, &ci)) != IL_OK)
					return rc;
			} else if (in_row && strcmp(el, "row") == 0) {
				return IL_OK;
			} else if (strcmp(el, "sheetData") == 0) {
				*eof = true;
				return IL_OK;
			}
		}
	}
}

/* Number of cells up to the last non-empty one. */
static size_t used_cells(const struct il__io_rowbuf *rb)
{
	size_t n = rb->n;
	while (n > 0 && rb->lens[n - 1] == 0)
		n--;
	return n;
}

static int take_header(struct xlsx *x)
{
	int rc;
	il__io_rowbuf_truncate(&x->rb, used_cells(&x->rb));
	il__io_rowbuf_publish(&x->rb);
	for (size_t i = 0; i < x->rb.n; i++)
		x->rb.lens[i] = il__io_trim(x->rb.data.ptr + x->rb.offs[i], x->rb.lens[i]);
	il_buf_reset(&x->where);
	if ((rc = il_buf_addf(&x->where, "%s:%s!row %zu", x->name, x->sheet, x->rownum)) != IL_OK)
		return rc;
	if ((rc = il__io_keys_build(x->rb.values, x->rb.lens, x->rb.n, x->where.ptr, true,
				    &x->key_store, &x->keys)) != IL_OK)
		return rc;
	x->ncols = x->rb.n;
	x->header_done = true;
	return IL_OK;
}

static int xlsx_next(void *state, struct il_row *row, bool *done)
{
	struct xlsx *x = state;
	bool eof;
	int rc;
	for (;;) {
		if (x->eof) {
			if (done)
				*done = true;
			return IL_OK;
		}
		if ((rc = read_row(x, &eof)) != IL_OK)
			return rc;
		if (eof) {
			x->eof = true;
			continue;
		}
		if (used_cells(&x->rb) == 0)
			continue;
		if (!x->header_done) {
			if ((rc = take_header(x)) != IL_OK)
				return rc;
			if (!row)
				return IL_OK;
			continue;
		}
		break;
	}
	while (x->rb.n < x->ncols)
		if ((rc = il__io_rowbuf_end_cell(&x->rb)) != IL_OK)
			return rc;
	il__io_rowbuf_publish(&x->rb);
	il_buf_reset(&x->where);
	if ((rc = il_buf_addf(&x->where, "%s:%s!row %zu", x->name, x->sheet, x->rownum)) != IL_OK)
		return rc;
	row->ncells = x->ncols;
	row->keys = x->keys;
	row->values = x->rb.values;
	row->lens = x->rb.lens;
	row->where = x->where.ptr;
	row->line = x->rownum;
	return IL_OK;
}

static double xlsx_progress(const void *state)
{
	const struct xlsx *x = state;
	if (x->sheet_part.size == 0)
		return 0.0;
	double done = (double)x->sheet_part.read / (double)x->sheet_part.size;
	return done > 1.0 ? 1.0 : done;
}

static void xlsx_close(void *state)
{
	struct xlsx *x = state;
	if (!x)
		return;
	part_close(&x->sheet_part);
	if (x->zip)
		zip_discard(x->zip);
	rels_free(x);
	free(x->sheet);
	free(x->sheet_entry);
	il_buf_release(&x->sst);
	free(x->sst_off);
	free(x->xf_date);
	free(x->date_fmts);
	il__io_rowbuf_release(&x->rb);
	il_buf_release(&x->cell);
	il_buf_release(&x->where);
	free(x->key_store);
	free(x->keys);
	free(x);
}

static const struct il__io_reader_ops xlsx_ops = {xlsx_next, xlsx_progress, xlsx_close};

static int zip_open_input(struct xlsx *x, const struct il__io_input *in)
{
	zip_error_t ze;
	int code = 0, rc;
	if (in->path) {
		x->zip = zip_open(in->path, ZIP_RDONLY, &code);
		if (x->zip)
			return IL_OK;
		zip_error_init_with_code(&ze, code);
	} else {
		zip_source_t *src;
		zip_error_init(&ze);
		src = zip_source_buffer_create(in->len ? in->mem : NULL, in->len, 0, &ze);
		if (src) {
			x->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
			if (x->zip) {
				zip_error_fini(&ze);
				return IL_OK;
			}
			zip_source_free(src);
		}
		code = zip_error_code_zip(&ze);
	}
	switch (code) {
	case ZIP_ER_MEMORY:
		rc = IL_ENOMEM;
		break;
	case ZIP_ER_NOENT:
	case ZIP_ER_OPEN:
	case ZIP_ER_READ:
	case ZIP_ER_SEEK:
		rc = il_error_set(IL_EIO, "cannot open %s: %s", x->name, zip_error_strerror(&ze));
		break;
	default:
		rc = il_error_set(IL_EFORMAT,
				  "%s: not an XLSX workbook (%s); truncated, or an .xls or "
				  "password-protected file?",
				  x->name, zip_error_strerror(&ze));
		break;
	}
	zip_error_fini(&ze);
	return rc;
}

int il__io_xlsx_open(struct il_reader *r, const struct il__io_input *in, const char *sheet)
{
	struct xlsx *x;
	char *styles = NULL, *sst = NULL;
	const struct rel *rel;
	int rc;
	pthread_once(&xml_once, xml_init);
	x = il_calloc(1, sizeof(*x));
	if (!x)
		return IL_ENOMEM;
	x->name = in->name;
	il_buf_init(&x->sst, XLSX_MAX_SST);
	il_buf_init(&x->cell, IL_IO_MAX_CELL);
	il_buf_init(&x->where, 0);
	il__io_rowbuf_init(&x->rb, 0);
	if ((rc = zip_open_input(x, in)) != IL_OK || (rc = read_rels(x)) != IL_OK ||
	    (rc = read_workbook(x, sheet)) != IL_OK)
		goto fail;
	rel = rel_by_type(x, "/styles");
	if ((rc = rel ? rel_entry(rel, &styles) : IL_OK) != IL_OK ||
	    (rc = read_styles(x, styles ? styles : "xl/styles.xml")) != IL_OK)
		goto fail;
	rel = rel_by_type(x, "/sharedStrings");
	if ((rc = rel ? rel_entry(rel, &sst) : IL_OK) != IL_OK ||
	    (rc = read_shared_strings(x, sst ? sst : "xl/sharedStrings.xml")) != IL_OK)
		goto fail;
	if ((rc = part_open(x, &x->sheet_part, x->sheet_entry, XLSX_MAX_TOTAL, false)) != IL_OK)
		goto fail;
	/* The header is part of opening: a file without one fails here. */
	if ((rc = xlsx_next(x, NULL, NULL)) != IL_OK)
		goto fail;
	if (!x->header_done) {
		rc = il_error_set(IL_EFORMAT, "%s:%s: the sheet is empty, no header row", x->name,
				  x->sheet);
		goto fail;
	}
	free(styles);
	free(sst);
	r->ops = &xlsx_ops;
	r->state = x;
	return IL_OK;
fail:
	free(styles);
	free(sst);
	xlsx_close(x);
	return rc;
}
