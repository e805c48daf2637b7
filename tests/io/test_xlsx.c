/*
 * test_xlsx.c - the XLSX reader on a workbook written by another tool
 * (tests/fixtures/io/other_tool.xlsx, made by make_xlsx.py beside it) and
 * on small workbooks built here, and the XLSX writer read back: values,
 * dates, gaps, `where`, sheet choice, damaged and hostile files.
 */
#include <innolink/io.h>

#include "test.h"
#include "io_test.h"

#include <zip.h>

#define FIXTURE IL_TEST_SRCDIR "/fixtures/io/other_tool.xlsx"
#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/* The rows of one sheet (the first when NULL) of an XLSX file. */
static int read_path(const char *path, const char *sheet, struct il_buf *out)
{
	return read_rows_path(path, IL_FMT_XLSX, sheet, DUMP_VALUES, out);
}

static void put_entry(zip_t *z, const char *name, const char *data, size_t len)
{
	zip_source_t *s = zip_source_buffer(z, data, len, 0);
	IL_CHECK(s != NULL);
	IL_CHECK(zip_file_add(z, name, s, ZIP_FL_OVERWRITE) >= 0);
}

/* A minimal workbook with one sheet "S" holding `rows` (the inside of
 * <sheetData>), and shared strings when sst is not NULL. */
static const char *make_xlsx(const char *file, const char *rows, const char *sst,
			     const char *workbook_pr)
{
	static char sheet[8192], wb[2048];
	const char *path = tmp_path(file);
	const char *rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
			   "relationships\"><Relationship Id=\"rId1\" Type=\"" REL_NS
			   "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
	int err;
	snprintf(wb, sizeof(wb),
		 "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS
		 "\">%s<sheets><sheet name=\"S\" "
		 "sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
		 workbook_pr ? workbook_pr : "");
	snprintf(sheet, sizeof(sheet),
		 "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>%s</sheetData></worksheet>", rows);
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	IL_CHECK(z != NULL);
	if (!z)
		return path;
	put_entry(z, "xl/workbook.xml", wb, strlen(wb));
	put_entry(z, "xl/_rels/workbook.xml.rels", rels, strlen(rels));
	put_entry(z, "xl/worksheets/sheet1.xml", sheet, strlen(sheet));
	if (sst)
		put_entry(z, "xl/sharedStrings.xml", sst, strlen(sst));
	IL_CHECK(zip_close(z) == 0);
	return path;
}

static void test_other_tool(void)
{
	struct il_buf out;
	IL_CHECK_INT(read_path(FIXTURE, NULL, &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out),
		     "3|中科 创新 |2024-03-06|1200|多段|true|x\n"
		     "5|東京|1900-02-29|0.3||false|#DIV/0!\n"
		     "6||45357.5|3.5||0.25|\n"
		     "7|A&B <x> _x0041_|2023-03-15|1e+20|line1\r\nline2||-2.5\n");
	il_buf_release(&out);

	struct il_reader *r = NULL;
	struct il_row row;
	bool done;
	IL_CHECK_INT(il_reader_open(FIXTURE, IL_FMT_AUTO, NULL, NULL, &r), IL_OK);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK_INT(row.ncells, 6);
	IL_CHECK_STR(row.keys[0], "名称");
	IL_CHECK_STR(row.keys[3], "备注");
	IL_CHECK_STR(row.keys[5], "代码");
	IL_CHECK_CONTAINS(row.where, "other_tool.xlsx:机构!row 3");
	IL_CHECK_INT(row.line, 3);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK_CONTAINS(row.where, "other_tool.xlsx:机构!row 5");
	IL_CHECK(row.values[3] != NULL && row.lens[3] == 0);
	while (il_reader_next(r, &row, &done) == IL_OK && !done)
		;
	IL_CHECK(done);
	IL_CHECK(il_reader_progress(r) == 1.0);
	il_reader_close(r);

	IL_CHECK_INT(read_path(FIXTURE, "Prefixed", &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|1|2.25\n3|名称|\n");
	il_buf_release(&out);
	IL_CHECK_INT(read_path(FIXTURE, "Lists", &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|only in the hidden sheet\n");
	il_buf_release(&out);
	IL_CHECK_INT(read_path(FIXTURE, "Nope", &out), IL_ENOTFOUND);
	IL_CHECK_CONTAINS(
		il_error_detail(IL_ENOTFOUND),
		"no worksheet named \"Nope\" (there are \"Lists\", \"机构\", \"Prefixed\")");
	il_buf_release(&out);

	/* the same bytes from memory */
	size_t n;
	char *bytes = slurp(FIXTURE, &n);
	IL_CHECK(bytes != NULL);
	IL_CHECK_INT(il_reader_open_mem(bytes, n, IL_FMT_AUTO, NULL, NULL, &r), IL_OK);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK_STR(row.where, "(memory):机构!row 3");
	IL_CHECK_STR(row.values[0], "中科 创新 ");
	il_reader_close(r);

	/* truncated: the zip directory at the end is gone */
	IL_CHECK_INT(il_reader_open_mem(bytes, n / 2, IL_FMT_XLSX, NULL, "cut.xlsx", &r),
		     IL_EFORMAT);
	IL_CHECK(r == NULL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "cut.xlsx: not an XLSX workbook");
	IL_CHECK_INT(il_reader_open_mem(bytes, 0, IL_FMT_XLSX, NULL, "none.xlsx", &r), IL_EFORMAT);
	IL_CHECK_INT(il_reader_open_mem("a,b\n", 4, IL_FMT_XLSX, NULL, "t.xlsx", &r), IL_EFORMAT);
	IL_CHECK_INT(il_reader_open("/nonexistent.xlsx", IL_FMT_AUTO, NULL, NULL, &r), IL_EIO);
	IL_CHECK_CONTAINS(il_error_detail(IL_EIO), "/nonexistent.xlsx");
	free(bytes);
}

static void test_crafted(void)
{
	struct il_buf out;
	const char *sst = "<sst xmlns=\"" MAIN_NS "\"><si><t>k</t></si><si><t>v</t></si></sst>";
	const char *p;

	/* cells without r, rows without r, a boolean header cell, gaps */
	p = make_xlsx("seq.xlsx",
		      "<row><c t=\"s\"><v>0</v></c><c t=\"inlineStr\"><is><t>two</t></is></c>"
		      "<c t=\"b\"><v>1</v></c></row>"
		      "<row><c><v>7</v></c><c r=\"C2\" t=\"s\"><v>1</v></c></row>"
		      "<row r=\"9\"><c r=\"B9\"><v>1.5E-3</v></c></row>",
		      sst, NULL);
	IL_CHECK_INT(read_path(p, NULL, &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|7||v\n9||0.0015|\n");
	il_buf_release(&out);

	/* 1904 date system, with a built-in date style on cell A2 */
	const char *rows =
		"<row><c t=\"inlineStr\"><is><t>d</t></is></c></row>"
		"<row><c s=\"1\"><v>0</v></c></row><row><c s=\"1\"><v>43000</v></c></row>";
	p = make_xlsx("d1904.xlsx", rows, NULL, "<workbookPr date1904=\"1\"/>");
	{
		/* styles are optional; add them to this one */
		int err;
		zip_t *z = zip_open(p, 0, &err);
		const char *styles = "<styleSheet xmlns=\"" MAIN_NS "\"><cellXfs count=\"2\"><xf "
				     "numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs></styleSheet>";
		put_entry(z, "xl/styles.xml", styles, strlen(styles));
		IL_CHECK(zip_close(z) == 0);
	}
	IL_CHECK_INT(read_path(p, NULL, &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|1904-01-01\n3|2021-09-23\n");
	il_buf_release(&out);

	/* a value right of the header */
	p = make_xlsx("wide.xlsx",
		      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c><c r=\"B1\" "
		      "t=\"inlineStr\"><is><t>b</t></is></c></row>"
		      "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"D2\"/></row>"
		      "<row r=\"3\"><c r=\"A3\"><v>1</v></c><c r=\"D3\"><v>4</v></c></row>",
		      NULL, NULL);
	IL_CHECK_INT(read_path(p, NULL, &out), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT),
			  "wide.xlsx:S!D3: value \"4\" is outside the header's columns A to B");
	IL_CHECK_STR(il_buf_cstr(&out), "2|1|\n");
	il_buf_release(&out);

	/* a shared string that does not exist */
	p = make_xlsx("sst.xlsx",
		      "<row><c t=\"s\"><v>0</v></c></row><row><c t=\"s\"><v>5</v></c></row>", sst,
		      NULL);
	IL_CHECK_INT(read_path(p, NULL, &out), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT),
			  "sst.xlsx:S!A2: shared string \"5\" does not exist (the workbook has 2)");
	il_buf_release(&out);

	/* header problems are found at open */
	struct il_reader *r = NULL;
	p = make_xlsx(
		"hdr.xlsx",
		"<row r=\"4\"><c r=\"A4\" t=\"s\"><v>0</v></c><c r=\"C4\" t=\"s\"><v>1</v></c></row>",
		sst, NULL);
	IL_CHECK_INT(il_reader_open(p, IL_FMT_XLSX, NULL, NULL, &r), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT),
			  "hdr.xlsx:S!row 4: column B has an empty header");
	p = make_xlsx("dup.xlsx", "<row><c t=\"s\"><v>0</v></c><c t=\"s\"><v>0</v></c></row>", sst,
		      NULL);
	IL_CHECK_INT(il_reader_open(p, IL_FMT_XLSX, NULL, NULL, &r), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT),
			  "header \"k\" appears twice, in columns A and B");
	p = make_xlsx("empty.xlsx", "<row r=\"1\"><c r=\"A1\" s=\"0\"/></row>", NULL, NULL);
	IL_CHECK_INT(il_reader_open(p, IL_FMT_XLSX, NULL, NULL, &r), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "empty.xlsx:S: the sheet is empty");
	p = make_xlsx("bad.xlsx",
		      "<row><c t=\"inlineStr\"><is><t>a</t></is></c></row>\n<row><c><v>1</v></row>",
		      NULL, NULL);
	IL_CHECK_INT(read_path(p, NULL, &out), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT),
			  "bad.xlsx: xl/worksheets/sheet1.xml, line 2:");
	il_buf_release(&out);
	IL_CHECK(r == NULL);
}

/* Shared strings that inflate past their 64 MiB cap from a small file. */
static void test_zip_bomb(void)
{
	const char *head = "<sst xmlns=\"" MAIN_NS "\">";
	const char *si = "<si><t>x</t></si>";
	size_t count = (68u << 20) / strlen(si), n = 0;
	char *big = malloc(strlen(head) + count * strlen(si) + 16);
	memcpy(big, head, strlen(head));
	n = strlen(head);
	for (size_t i = 0; i < count; i++, n += strlen(si))
		memcpy(big + n, si, strlen(si));
	memcpy(big + n, "</sst>", 6);
	n += 6;
	const char *p = make_xlsx("bomb.xlsx", "<row><c t=\"s\"><v>0</v></c></row>", NULL, NULL);
	int err;
	zip_t *z = zip_open(p, 0, &err);
	put_entry(z, "xl/sharedStrings.xml", big, n);
	IL_CHECK(zip_close(z) == 0);
	free(big);
	size_t len;
	char *bytes = slurp(p, &len);
	IL_CHECK(bytes && len < (1u << 20));
	struct il_reader *r = NULL;
	IL_CHECK_INT(il_reader_open_mem(bytes, len, IL_FMT_XLSX, NULL, "bomb.xlsx", &r),
		     IL_ETOOBIG);
	IL_CHECK_CONTAINS(il_error_detail(IL_ETOOBIG), "bomb.xlsx: xl/sharedStrings.xml");
	IL_CHECK_CONTAINS(il_error_detail(IL_ETOOBIG), "zip bomb");
	free(bytes);
}

static void test_writer_round_trip(void)
{
	const char *headers[] = {"名称", "成立日期", "金额", "标签", "备注"};
	const enum il_cell_type types[] = {IL_CELL_TEXT, IL_CELL_TEXT, IL_CELL_NUMBER, IL_CELL_LIST,
					   IL_CELL_TEXT};
	const char *rows[][5] = {
		{"中科院", "2024-03-06", "1200", "芯片;AI", "说\"你好\", <b>&amp;"},
		{" 空格 ", "", "3.25", NULL, "两行\r\n文本\x01"},
		{"x", "1900-02-29", "n/a", "", ""},
		{"y", NULL, "-0.5e2", "a", "_x0041_"},
	};
	const char *path = tmp_path("round.xlsx");
	struct il_writer *w = NULL;
	IL_CHECK_INT(il_writer_open(path, IL_FMT_AUTO, NULL, "机构", 5, headers, types, &w), IL_OK);
	for (size_t i = 0; i < 4; i++)
		IL_CHECK_INT(il_writer_row(w, rows[i]), IL_OK);
	IL_CHECK_INT(il_writer_close(w), IL_OK);

	struct il_buf out;
	IL_CHECK_INT(read_path(path, "机构", &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|中科院|2024-03-06|1200|芯片;AI|说\"你好\", <b>&amp;\n"
					"3| 空格 ||3.25||两行\r\n文本\x01\n"
					"4|x|1900-02-29|n/a||\n"
					"5|y||-50|a|_x0041_\n");
	il_buf_release(&out);

	/* bold header, frozen first row, numbers as numeric cells */
	int err;
	zip_t *z = zip_open(path, ZIP_RDONLY, &err);
	IL_CHECK(z != NULL);
	if (z) {
		char buf[65536];
		zip_file_t *f = zip_fopen(z, "xl/worksheets/sheet1.xml", 0);
		zip_int64_t n = f ? zip_fread(f, buf, sizeof(buf) - 1) : -1;
		buf[n > 0 ? n : 0] = '\0';
		if (f)
			zip_fclose(f);
		IL_CHECK_CONTAINS(buf, "ySplit=\"1\"");
		IL_CHECK_CONTAINS(buf, "state=\"frozen\"");
		IL_CHECK_CONTAINS(buf, "<c r=\"C2\"><v>1200</v></c>");
		IL_CHECK_CONTAINS(buf, "<c r=\"C5\"><v>-50</v></c>");
		IL_CHECK(strstr(buf, "<c r=\"C4\"><v>") == NULL);
		f = zip_fopen(z, "xl/styles.xml", 0);
		n = f ? zip_fread(f, buf, sizeof(buf) - 1) : -1;
		buf[n > 0 ? n : 0] = '\0';
		if (f)
			zip_fclose(f);
		IL_CHECK_CONTAINS(buf, "<b/>");
		zip_discard(z);
	}

	/* a bad sheet name is refused before anything is written */
	IL_CHECK_INT(il_writer_open(tmp_path("badname.xlsx"), IL_FMT_XLSX, NULL, "a/b", 5, headers,
				    types, &w),
		     IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "sheet name \"a/b\"");
	IL_CHECK(w == NULL);
	IL_CHECK_INT(il_writer_open("/nonexistent/x.xlsx", IL_FMT_XLSX, NULL, NULL, 5, headers,
				    types, &w),
		     IL_EIO);
	IL_CHECK_CONTAINS(il_error_detail(IL_EIO), "/nonexistent/x.xlsx");

	/* a longer export: progress moves, rows come back in order */
	path = tmp_path("long.xlsx");
	IL_CHECK_INT(il_writer_open(path, IL_FMT_XLSX, NULL, NULL, 2, headers, types, &w), IL_OK);
	for (int i = 0; i < 20000; i++) {
		char a[32], b[32];
		snprintf(a, sizeof(a), "名称%d", i);
		snprintf(b, sizeof(b), "%d", i);
		const char *v[] = {a, b};
		il_writer_row(w, v);
	}
	IL_CHECK_INT(il_writer_close(w), IL_OK);
	{
		struct il_reader *lr = NULL;
		struct il_row lrow;
		bool ldone = false;
		int count = 0, bad = 0;
		double first = -1, last = 0;
		IL_CHECK_INT(il_reader_open(path, IL_FMT_AUTO, NULL, NULL, &lr), IL_OK);
		while (il_reader_next(lr, &lrow, &ldone) == IL_OK && !ldone) {
			char want[32];
			snprintf(want, sizeof(want), "名称%d", count);
			if (strcmp(lrow.values[0], want) != 0 || lrow.line != (size_t)count + 2)
				bad++;
			if (first < 0)
				first = il_reader_progress(lr);
			if (il_reader_progress(lr) < last)
				bad++;
			last = il_reader_progress(lr);
			count++;
		}
		IL_CHECK(ldone);
		IL_CHECK_INT(count, 20000);
		IL_CHECK_INT(bad, 0);
		IL_CHECK(first > 0 && first < 0.5);
		IL_CHECK(il_reader_progress(lr) == 1.0);
		il_reader_close(lr);
	}

	/* default sheet name */
	path = tmp_path("sheet1.xlsx");
	IL_CHECK_INT(il_writer_open(path, IL_FMT_XLSX, NULL, NULL, 1, headers, NULL, &w), IL_OK);
	const char *one[] = {"1"};
	IL_CHECK_INT(il_writer_row(w, one), IL_OK);
	IL_CHECK_INT(il_writer_close(w), IL_OK);
	struct il_reader *r = NULL;
	struct il_row row;
	bool done;
	IL_CHECK_INT(il_reader_open(path, IL_FMT_AUTO, NULL, NULL, &r), IL_OK);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK_CONTAINS(row.where, "sheet1.xlsx:Sheet1!row 2");
	IL_CHECK_STR(row.values[0], "1");
	il_reader_close(r);
}

static void test_alloc_failures(void)
{
	size_t len;
	char *bytes = slurp(FIXTURE, &len);
	check_alloc_failures(bytes, len, IL_FMT_XLSX, "m.xlsx", 4, 5000);
	free(bytes);
}

int main(void)
{
	IL_RUN(test_other_tool);
	IL_RUN(test_crafted);
	IL_RUN(test_zip_bomb);
	IL_RUN(test_writer_round_trip);
	IL_RUN(test_alloc_failures);
	IL_DONE();
}
