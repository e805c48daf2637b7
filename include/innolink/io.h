/*
 * innolink/io.h - reading and writing tables: CSV, JSON Lines and XLSX.
 *
 * Two layers.  The table layer (il_reader, il_writer) knows file formats
 * and encodings but nothing of entity kinds: a reader turns any supported
 * file into rows of (header, value) pairs, each row knowing where it came
 * from ("orgs.csv:12", "orgs.xlsx:机构!row 12"), and a writer does the reverse.
 * The record layer (il_import, il_export) maps those rows onto records of a
 * kind through the field tables of model.h and hands them to the store.
 *
 * Depends on: base, model, store.
 */
#ifndef INNOLINK_IO_H
#define INNOLINK_IO_H

#include "base.h"
#include "model.h"
#include "store.h"

enum il_format {
	IL_FMT_AUTO, /* from the file name: .csv; .tsv and .txt (Excel's "Text (Tab
		       delimited)"); .jsonl .ndjson .json; .xlsx */
	IL_FMT_CSV,
	IL_FMT_TSV,
	IL_FMT_JSONL,
	IL_FMT_XLSX,
};

/* Parses "csv", "tsv", "jsonl", "xlsx" (case-insensitive).  IL_EINVAL. */
int il_format_parse(const char *name, enum il_format *out);
/* The format a file name implies; IL_FMT_CSV when nothing matches. */
enum il_format il_format_from_path(const char *path);

/* Hard limits on what a reader accepts; a file past them fails with
 * IL_ETOOBIG naming the row, instead of exhausting memory. */
#define IL_IO_MAX_CELL (1u << 20) /* bytes in one cell */
#define IL_IO_MAX_COLUMNS 1024u
#define IL_IO_MAX_LINE (8u << 20) /* bytes in one JSON line or CSV record */

/* One row.  Everything is borrowed, valid until the next il_reader_next()
 * or il_reader_close().  Values are UTF-8 and NUL-terminated; an empty cell
 * is "" (len 0), never NULL. */
struct il_row {
	size_t ncells;
	const char *const *keys; /* header of each cell */
	const char *const *values;
	const size_t *lens;
	const char *where; /* "file.csv:12" (line where the record starts), or
			      "file.xlsx:Sheet1!row 12", or "file.jsonl:7" */
	size_t line; /* line (CSV, JSONL) or row number (XLSX), 1-based */
};

struct il_reader;

/*
 * Opens a file for reading rows.
 *  - CSV/TSV: RFC 4180 quoting, CRLF or LF, first record is the header.
 *    Encoding: a UTF-8 BOM is skipped; otherwise `encoding` ("utf-8",
 *    "gb18030"; "gbk" and "gb2312" read as gb18030) or, when NULL, detected:
 *    text that is not valid UTF-8 in its first 64 KiB is read as GB18030,
 *    what Excel in China writes.  Invalid bytes later on fail with
 *    IL_EENCODING naming the line and byte offset.
 *  - JSONL: one JSON object per line (blank lines skipped); strings, numbers,
 *    booleans and null become text, arrays of scalars are joined with ";";
 *    nested objects fail with IL_EFORMAT naming the key.
 *  - XLSX: the first worksheet, or `sheet` when not NULL (by name); first
 *    non-empty row is the header; shared strings, inline strings, numbers
 *    (integers printed without ".0"), booleans and dates (serial numbers in
 *    date-formatted cells become YYYY-MM-DD) are read.
 * `name` is what `where` shows (the path when NULL).
 * Returns IL_EIO (cannot open), IL_EFORMAT (not that format, truncated,
 * duplicate or empty header), IL_EENCODING, IL_ETOOBIG (a limit above, or
 * an XLSX part that unpacks too large), IL_ENOTFOUND (no such sheet: the
 * detail lists the sheets), IL_EINVAL (unknown encoding), IL_ENOMEM.  The
 * detail names the file and where.  *out is NULL on failure; caller closes with
 * il_reader_close().
 */
int il_reader_open(const char *path, enum il_format fmt, const char *encoding, const char *sheet,
		   struct il_reader **out);
/* The same over a memory buffer (borrowed until close), for tests and fuzzing. */
int il_reader_open_mem(const void *data, size_t len, enum il_format fmt, const char *encoding,
		       const char *name, struct il_reader **out);
/* Reads the next row into *row.  *done is set and IL_OK returned at the end.
 * Errors as for il_reader_open, with the detail naming the row. */
int il_reader_next(struct il_reader *r, struct il_row *row, bool *done);
/* Fraction of the input consumed, 0..1, for progress bars. */
double il_reader_progress(const struct il_reader *r);
void il_reader_close(struct il_reader *r);

/* How a writer renders a column.  JSONL writes numbers and booleans as JSON
 * values and lists as arrays; XLSX writes numbers as numeric cells. */
enum il_cell_type {
	IL_CELL_TEXT,
	IL_CELL_NUMBER,
	IL_CELL_BOOL,
	IL_CELL_LIST, /* canonical ";"-joined list */
};

struct il_writer;

/*
 * Opens a file for writing a table with these columns (borrowed for the
 * writer's life).  CSV is written as UTF-8 with a BOM (Excel opens it as
 * Unicode) unless `encoding` is "gb18030"; XLSX gets one sheet named `sheet`
 * (or "Sheet1") with a bold, frozen header row.  IL_EIO, IL_ENOMEM.
 */
int il_writer_open(const char *path, enum il_format fmt, const char *encoding, const char *sheet,
		   size_t ncols, const char *const *headers, const enum il_cell_type *types,
		   struct il_writer **out);
/* Writes one row of ncols values (NULL means empty).  IL_EIO, IL_EENCODING
 * (text not representable in the chosen encoding), IL_ENOMEM. */
int il_writer_row(struct il_writer *w, const char *const *values);
/* Flushes and closes; the file is complete only if this returns IL_OK.
 * Frees the writer in every case. */
int il_writer_close(struct il_writer *w);

enum il_import_flag {
	IL_IMPORT_SKIP_INVALID = 1u << 0, /* commit the valid rows, report the rest */
	IL_IMPORT_DRY_RUN = 1u << 1, /* check every row, commit nothing */
	IL_IMPORT_DEMO = 1u << 2, /* mark every record as demo data */
};

struct il_import_opts {
	enum il_kind kind;
	enum il_format format; /* IL_FMT_AUTO: from the file name */
	const char *encoding; /* NULL: detect */
	const char *sheet; /* XLSX sheet name, NULL: the first */
	unsigned flags; /* enum il_import_flag */
	const char *rejects; /* with SKIP_INVALID: CSV file for rejected rows and reasons */
	const char *source; /* provenance prefix; default "import:<file name>" */
	/* Called for each rejected row with where it is and why (may be NULL). */
	void (*reject)(const char *where, const char *why, void *ctx);
	/* Called now and then with the fraction read and rows so far (may be NULL). */
	void (*progress)(double fraction, size_t rows, void *ctx);
	void *ctx;
};

struct il_import_stats {
	size_t rows, inserted, updated, unchanged, merged, rejected;
};

/*
 * Imports a file of records of one kind.  Headers may be field names,
 * Chinese headers or aliases (model.h); a column that names no field fails
 * the import at its header, except row-number columns (序号, No.).  Rows
 * without an id get one derived from their title and owner, so importing
 * the same sheet twice changes nothing.
 *
 * Everything happens in one transaction: by default, any bad row rolls the
 * whole file back (every bad row is still reported, up to 1000) and the
 * call returns IL_EINVAL with the first one's detail; with
 * IL_IMPORT_SKIP_INVALID the valid rows commit and the rejected ones are
 * reported and written to opts->rejects.  Nothing already stored is lost
 * either way.  Returns the reader's errors (IL_EIO, IL_EFORMAT,
 * IL_EENCODING), IL_EINVAL, IL_ESTORE, IL_ENOMEM.
 */
int il_import_file(struct il_store *s, const char *path, const struct il_import_opts *opts,
		   struct il_import_stats *stats);

struct il_export_opts {
	struct il_query query; /* which records; limit/offset are honoured */
	enum il_format format; /* IL_FMT_AUTO: from the file name */
	const char *encoding; /* CSV: NULL for UTF-8 with BOM, or "gb18030" */
	bool zh_headers; /* Chinese column headers instead of field names */
};

/*
 * Writes the records a query selects to `path`: columns id, the kind's
 * fields in table order, demo — exactly what il_import_file reads back, so
 * export followed by import changes nothing.  *count (may be NULL) gets the
 * number written.  IL_EIO, IL_EINVAL, IL_ESTORE, IL_ENOMEM.
 */
int il_export_file(struct il_store *s, const char *path, const struct il_export_opts *opts,
		   size_t *count);

/* Loads the bundled demo data from `dir` (data/demo): every <kind>*.jsonl in
 * dependency order, marked as demo, in one transaction. */
int il_import_demo(struct il_store *s, const char *dir,
		   void (*progress)(double fraction, size_t rows, void *ctx), void *ctx,
		   struct il_import_stats *stats);

#endif
