/*
 * xlsx_write.c - writes a table as a one-sheet XLSX workbook with
 * libxlsxwriter: a bold header row frozen at the top, numbers as numeric
 * cells in IL_CELL_NUMBER columns, everything else as text.
 *
 * The workbook is built in libxlsxwriter's constant-memory mode (each row
 * goes to a temporary file as soon as the next one starts), so an export of
 * any length costs one row of memory; the file itself is written by
 * workbook_close(), which is why il_writer_close() decides success.
 * Depends on table.c and libxlsxwriter.
 */
#include "io_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define XLSX_ROWS 1048576u /* rows in a worksheet, header included */
#define XLSX_COLS 16384u

struct xlsx_writer {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	lxw_row_t row; /* next row to write */
	struct il_buf esc;
};

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool x_escape_at(const char *s)
{
	return s[0] == '_' && s[1] == 'x' && is_hex(s[2]) && is_hex(s[3]) && is_hex(s[4]) &&
	       is_hex(s[5]) && s[6] == '_';
}

/*
 * OOXML text cannot hold most control characters, and XML turns CR into LF;
 * Excel writes them as _xHHHH_, and so a literal "_x0041_" must have its
 * underscore escaped (_x005F_) or readers would decode it.  Returns s itself
 * when nothing needs escaping, else the escaped copy in xw->esc.
 */
static int escape_text(struct xlsx_writer *xw, const char *s, const char **out)
{
	const char *p;
	int rc = IL_OK;
	for (p = s; *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n') || x_escape_at(p))
			break;
	*out = s;
	if (!*p)
		return IL_OK;
	il_buf_reset(&xw->esc);
	if ((rc = il_buf_add(&xw->esc, s, (size_t)(p - s))) != IL_OK)
		return rc;
	for (; *p && rc == IL_OK; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 && c != '\t' && c != '\n')
			rc = il_buf_addf(&xw->esc, "_x%04X_", c);
		else if (x_escape_at(p))
			rc = il_buf_adds(&xw->esc, "_x005F_");
		else
			rc = il_buf_addc(&xw->esc, *p);
	}
	*out = xw->esc.ptr;
	return rc;
}

static int lxw_fail(struct il_writer *w, lxw_error e, size_t col)
{
	switch (e) {
	case LXW_NO_ERROR:
		return IL_OK;
	case LXW_ERROR_MEMORY_MALLOC_FAILED:
		return IL_ENOMEM;
	case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
		return il_error_set(IL_ETOOBIG, "%s: a worksheet holds at most %u rows", w->path,
				    XLSX_ROWS - 1);
	case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
		return il_error_set(IL_ETOOBIG,
				    "%s: row %zu, column \"%s\": text longer than the 32767 "
				    "characters a cell holds",
				    w->path, w->rows + 1, w->headers[col]);
	default:
		return il_error_set(IL_EIO, "%s: row %zu, column \"%s\": %s", w->path, w->rows + 1,
				    w->headers[col], lxw_strerror(e));
	}
}

static int xlsx_writer_row(struct il_writer *w, const char *const *values)
{
	struct xlsx_writer *xw = w->state;
	if (xw->row >= XLSX_ROWS)
		return lxw_fail(w, LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE, 0);
	for (size_t i = 0; i < w->ncols; i++) {
		const char *v = values[i];
		double d;
		lxw_error e;
		if (!v || !*v)
			continue;
		if (il__io_col_type(w, i) == IL_CELL_NUMBER && il__io_parse_number(v, &d)) {
			e = worksheet_write_number(xw->ws, xw->row, (lxw_col_t)i, d, NULL);
		} else {
			int rc = escape_text(xw, v, &v);
			if (rc)
				return rc;
			e = worksheet_write_string(xw->ws, xw->row, (lxw_col_t)i, v, NULL);
		}
		if (e != LXW_NO_ERROR)
			return lxw_fail(w, e, i);
	}
	xw->row++;
	return IL_OK;
}

static int xlsx_writer_close(struct il_writer *w)
{
	struct xlsx_writer *xw = w->state;
	lxw_error e = workbook_close(xw->wb);
	il_buf_release(&xw->esc);
	free(xw);
	if (e != LXW_NO_ERROR)
		return il_error_set(e == LXW_ERROR_MEMORY_MALLOC_FAILED ? IL_ENOMEM : IL_EIO,
				    "%s: cannot write the workbook: %s", w->path, lxw_strerror(e));
	return IL_OK;
}

static const struct il__io_writer_ops xlsx_writer_ops = {xlsx_writer_row, xlsx_writer_close};

/* libxlsxwriter creates the file only in workbook_close(); trying it now
 * turns a bad path into IL_EIO at open, not after the whole export. */
static int probe_path(const char *path)
{
	bool existed = access(path, F_OK) == 0;
	FILE *f = fopen(path, "ab");
	if (!f)
		return il_error_set(IL_EIO, "cannot create %s: %s", path, strerror(errno));
	fclose(f);
	if (!existed)
		remove(path);
	return IL_OK;
}

int il__io_xlsx_writer_open(struct il_writer *w, const char *sheet)
{
	lxw_workbook_options opt;
	struct xlsx_writer *xw;
	const char *name = sheet ? sheet : "Sheet1";
	lxw_error e;
	int rc;
	if (w->ncols > XLSX_COLS)
		return il_error_set(IL_EINVAL, "%s: a worksheet holds at most %u columns", w->path,
				    XLSX_COLS);
	if ((rc = probe_path(w->path)) != IL_OK)
		return rc;
	xw = il_calloc(1, sizeof(*xw));
	if (!xw)
		return IL_ENOMEM;
	memset(&opt, 0, sizeof(opt));
	opt.constant_memory = LXW_TRUE;
	xw->wb = workbook_new_opt(w->path, &opt);
	if (!xw->wb) {
		free(xw);
		return il_error_set(IL_EIO, "%s: cannot start a workbook (temporary file?)",
				    w->path);
	}
	e = workbook_validate_sheet_name(xw->wb, name);
	if (e != LXW_NO_ERROR) {
		rc = il_error_set(IL_EINVAL, "%s: sheet name \"%s\": %s", w->path, name,
				  lxw_strerror(e));
		goto fail;
	}
	xw->ws = workbook_add_worksheet(xw->wb, name);
	xw->bold = workbook_add_format(xw->wb);
	if (!xw->ws || !xw->bold) {
		rc = IL_ENOMEM;
		goto fail;
	}
	format_set_bold(xw->bold);
	worksheet_freeze_panes(xw->ws, 1, 0);
	il_buf_init(&xw->esc, 0);
	for (size_t i = 0; i < w->ncols; i++) {
		const char *h;
		if ((rc = escape_text(xw, w->headers[i], &h)) != IL_OK)
			goto fail;
		e = worksheet_write_string(xw->ws, 0, (lxw_col_t)i, h, xw->bold);
		if (e != LXW_NO_ERROR) {
			rc = lxw_fail(w, e, i);
			goto fail;
		}
	}
	xw->row = 1;
	w->ops = &xlsx_writer_ops;
	w->state = xw;
	return IL_OK;
fail:
	lxw_workbook_free(xw->wb); /* frees without writing the file */
	il_buf_release(&xw->esc);
	free(xw);
	return rc;
}
