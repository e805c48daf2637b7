/*
 * test_csv.c - the CSV/TSV reader and writer: RFC 4180 quoting, line
 * numbers in `where`, header checks, encodings (BOM, GB18030 detected and
 * named, UTF-16), chunk boundaries, limits, writer round trips, and
 * allocation failures.
 */
#include <innolink/io.h>

#include "test.h"
#include "io_test.h"

#include <errno.h>
#include <iconv.h>

#define CHUNK (64u * 1024u) /* the reader's chunk, and its detection window */

/* A CSV or TSV text named t.csv, which the error details show. */
static int read_mem(const char *data, size_t len, enum il_format fmt, const char *enc,
		    struct il_buf *out)
{
	return read_rows_mem(data, len, fmt, enc, "t.csv", DUMP_VALUES, out);
}

static int read_str(const char *data, struct il_buf *out)
{
	return read_mem(data, strlen(data), IL_FMT_CSV, NULL, out);
}

/* UTF-8 to GB18030 bytes with iconv. */
static char *to_gb18030(const char *utf8, size_t *outlen)
{
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t inleft = strlen(utf8), cap = inleft * 2 + 16, outleft = cap;
	char *out = malloc(cap), *in = (char *)utf8, *o = out;
	IL_CHECK(cd != (iconv_t)-1);
	IL_CHECK(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
	iconv_close(cd);
	*outlen = cap - outleft;
	return out;
}

static void test_format_names(void)
{
	enum il_format f = IL_FMT_AUTO;
	IL_CHECK_INT(il_format_parse("CSV", &f), IL_OK);
	IL_CHECK_INT(f, IL_FMT_CSV);
	IL_CHECK_INT(il_format_parse("tsv", &f), IL_OK);
	IL_CHECK_INT(f, IL_FMT_TSV);
	IL_CHECK_INT(il_format_parse("JsonL", &f), IL_OK);
	IL_CHECK_INT(f, IL_FMT_JSONL);
	IL_CHECK_INT(il_format_parse("xlsx", &f), IL_OK);
	IL_CHECK_INT(f, IL_FMT_XLSX);
	IL_CHECK_INT(il_format_parse("xls", &f), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "\"xls\"");
	IL_CHECK_INT(il_format_from_path("a/b/orgs.CSV"), IL_FMT_CSV);
	IL_CHECK_INT(il_format_from_path("orgs.tsv"), IL_FMT_TSV);
	IL_CHECK_INT(il_format_from_path("orgs.txt"), IL_FMT_TSV);
	IL_CHECK_INT(il_format_from_path("orgs.jsonl"), IL_FMT_JSONL);
	IL_CHECK_INT(il_format_from_path("orgs.ndjson"), IL_FMT_JSONL);
	IL_CHECK_INT(il_format_from_path("orgs.json"), IL_FMT_JSONL);
	IL_CHECK_INT(il_format_from_path("机构.XLSX"), IL_FMT_XLSX);
	IL_CHECK_INT(il_format_from_path("orgs"), IL_FMT_CSV);
	IL_CHECK_INT(il_format_from_path("dir.d/orgs"), IL_FMT_CSV);
}

static void test_quoting_and_lines(void)
{
	struct il_buf out;
	const char *csv = "\xEF\xBB\xBF name , city,note\r\n"
			  "中科院,北京,\"said \"\"hi\"\"\"\r\n"
			  "\"a,b\",\"two\nlines\",x\n"
			  "\n"
			  "short\r"
			  "q,\"\",\"end\"\r\n"
			  "\r\n";
	IL_CHECK_INT(read_str(csv, &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|中科院|北京|said \"hi\"\n"
					"3|a,b|two\nlines|x\n"
					"6|short||\n"
					"7|q||end\n");
	il_buf_release(&out);

	/* keys, where and lens of one row */
	struct il_reader *r = NULL;
	struct il_row row;
	bool done;
	IL_CHECK_INT(il_reader_open_mem(csv, strlen(csv), IL_FMT_AUTO, NULL, "orgs.csv", &r),
		     IL_OK);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK_INT(row.ncells, 3);
	IL_CHECK_STR(row.keys[0], "name");
	IL_CHECK_STR(row.keys[1], "city");
	IL_CHECK_STR(row.keys[2], "note");
	IL_CHECK_STR(row.where, "orgs.csv:2");
	IL_CHECK_INT(row.lens[0], strlen("中科院"));
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK_STR(row.where, "orgs.csv:3");
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK_STR(row.where, "orgs.csv:6");
	IL_CHECK_STR(row.values[2], "");
	IL_CHECK(row.values[2] != NULL);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK(done);
	IL_CHECK(il_reader_progress(r) == 1.0);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK(done);
	il_reader_close(r);

	/* text after a closing quote is kept; a quote inside a plain field is
	 * an ordinary character; no final newline */
	IL_CHECK_INT(read_str("a,b\n\"x\"y,z\"w\"", &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|xy|z\"w\"\n");
	il_buf_release(&out);

	/* a lone CR ends lines too, and CR LF inside quotes stays */
	IL_CHECK_INT(read_str("a\r1\r\"2\r\n3\"\r4", &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|1\n3|2\r\n3\n5|4\n");
	il_buf_release(&out);
}

/* Runs of plain bytes are skipped eight at a time: a delimiter, a quote or
 * a line end is found at every offset from a word boundary, beside
 * multi-byte characters (bytes >= 0x80) that must not be taken for one. */
static void test_long_runs(void)
{
	for (size_t k = 0; k < 20; k++) {
		struct il_buf in = IL_BUF_INIT, want = IL_BUF_INIT, out;
		for (size_t i = 0; i < k; i++)
			il_buf_adds(&in, i % 3 ? "x" : "中");
		il_buf_add(&want, in.ptr, in.len);
		il_buf_adds(&in, ",\"");
		il_buf_adds(&want, "|");
		for (size_t i = 0; i < k; i++) {
			il_buf_adds(&in, "y");
			il_buf_adds(&want, "y");
		}
		il_buf_adds(&in, "\"\"q\nz,\r");
		il_buf_adds(&want, "\"q\nz,\r");
		for (size_t i = 0; i < 2 * k; i++) {
			il_buf_adds(&in, "é");
			il_buf_adds(&want, "é");
		}
		il_buf_adds(&in, "\"\r\nlast,");
		il_buf_adds(&want, "\n5|last|\n");
		struct il_buf csv = IL_BUF_INIT;
		il_buf_adds(&csv, "a,b\n");
		il_buf_add(&csv, in.ptr, in.len);
		IL_CHECK_INT(read_str(il_buf_cstr(&csv), &out), IL_OK);
		struct il_buf full = IL_BUF_INIT;
		il_buf_adds(&full, "2|");
		il_buf_add(&full, want.ptr, want.len);
		IL_CHECK_STR(il_buf_cstr(&out), il_buf_cstr(&full));
		il_buf_release(&out);
		il_buf_release(&full);
		il_buf_release(&csv);
		il_buf_release(&in);
		il_buf_release(&want);
	}
}

static void test_tsv(void)
{
	struct il_buf out;
	const char *tsv = "名称\t地址\n华为\t\"深圳\t龙岗\"\n中兴\t深圳, 南山\n";
	IL_CHECK_INT(read_mem(tsv, strlen(tsv), IL_FMT_TSV, NULL, &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|华为|深圳\t龙岗\n3|中兴|深圳, 南山\n");
	il_buf_release(&out);
}

static void test_errors(void)
{
	struct il_buf out;
	struct il_reader *r = NULL;

	IL_CHECK_INT(read_str("a,b\n1,2\n1,2,3\n", &out), IL_EFORMAT);
	IL_CHECK_STR(il_error_detail(IL_EFORMAT), "t.csv:3: 3 columns, but the header has 2");
	il_buf_release(&out);

	IL_CHECK_INT(read_str("a,b\n1,2\n3,\"four\nfive,6\n", &out), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "t.csv:3:");
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "truncated file?");
	IL_CHECK_STR(il_buf_cstr(&out), "2|1|2\n");
	il_buf_release(&out);

	IL_CHECK_INT(il_reader_open_mem("id,name,id\n", 11, IL_FMT_CSV, NULL, "d.csv", &r),
		     IL_EFORMAT);
	IL_CHECK(r == NULL);
	IL_CHECK_STR(il_error_detail(IL_EFORMAT),
		     "d.csv:1: header \"id\" appears twice, in columns 1 and 3");
	IL_CHECK_INT(il_reader_open_mem("\n\nid, ,x\n", 9, IL_FMT_CSV, NULL, "e.csv", &r),
		     IL_EFORMAT);
	IL_CHECK_STR(il_error_detail(IL_EFORMAT), "e.csv:3: column 2 has an empty header");
	IL_CHECK_INT(il_reader_open_mem("", 0, IL_FMT_CSV, NULL, "empty.csv", &r), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "empty.csv: the file is empty");
	IL_CHECK_INT(il_reader_open_mem("PK\3\4rest", 8, IL_FMT_CSV, NULL, "z.csv", &r),
		     IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "zip file");
	IL_CHECK_INT(il_reader_open("/nonexistent/x.csv", IL_FMT_AUTO, NULL, NULL, &r), IL_EIO);
	IL_CHECK_CONTAINS(il_error_detail(IL_EIO), "/nonexistent/x.csv");
	IL_CHECK_INT(il_reader_open_mem("a\n", 2, IL_FMT_CSV, "klingon-8", "k.csv", &r), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "klingon-8");

	/* a failed reader keeps failing with the same detail */
	struct il_row row;
	bool done;
	IL_CHECK_INT(il_reader_open_mem("a\n1,2\n3\n", 8, IL_FMT_CSV, NULL, "s.csv", &r), IL_OK);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_EFORMAT);
	il_error_clear();
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_EFORMAT);
	IL_CHECK_STR(il_error_detail(IL_EFORMAT), "s.csv:2: 2 columns, but the header has 1");
	il_reader_close(r);
}

static void test_limits(void)
{
	struct il_buf out;
	size_t big = IL_IO_MAX_CELL + 10;
	char *data = malloc(big + 16);
	memcpy(data, "a\nx", 3);
	memset(data + 3, 'y', big);
	IL_CHECK_INT(read_mem(data, big + 3, IL_FMT_CSV, NULL, &out), IL_ETOOBIG);
	IL_CHECK_CONTAINS(il_error_detail(IL_ETOOBIG), "t.csv:2: column 1");
	il_buf_release(&out);
	free(data);

	/* more columns than the cap */
	struct il_buf wide;
	il_buf_init(&wide, 0);
	il_buf_adds(&wide, "a\n");
	for (unsigned i = 0; i <= IL_IO_MAX_COLUMNS; i++)
		il_buf_adds(&wide, "1,");
	IL_CHECK_INT(read_mem(wide.ptr, wide.len, IL_FMT_CSV, NULL, &out), IL_ETOOBIG);
	IL_CHECK_CONTAINS(il_error_detail(IL_ETOOBIG), "t.csv:2: more than 1024 columns");
	il_buf_release(&out);
	il_buf_release(&wide);
}

static void test_gb18030(void)
{
	struct il_buf out;
	size_t n;
	const char *utf8 = "名称,城市,备注\r\n中关村科技园,北京,\"含,逗号\"\r\n𠀀字,深圳,€\r\n";
	char *gb = to_gb18030(utf8, &n);
	/* detected: GB18030 bytes are not valid UTF-8 */
	IL_CHECK_INT(read_mem(gb, n, IL_FMT_CSV, NULL, &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|中关村科技园|北京|含,逗号\n3|𠀀字|深圳|€\n");
	il_buf_release(&out);
	/* named: "gbk" reads as GB18030, which holds the 4-byte 𠀀 too */
	IL_CHECK_INT(read_mem(gb, n, IL_FMT_CSV, "GBK", &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|中关村科技园|北京|含,逗号\n3|𠀀字|深圳|€\n");
	il_buf_release(&out);
	/* named UTF-8 on GB18030 bytes: the first bad byte is named */
	IL_CHECK_INT(read_mem(gb, n, IL_FMT_CSV, "utf-8", &out), IL_EENCODING);
	IL_CHECK_CONTAINS(il_error_detail(IL_EENCODING), "t.csv:1: byte 0xC3 at offset 0");
	il_buf_release(&out);
	free(gb);

	/* the bytes of 中 (D6 D0) cut by the end of a file */
	IL_CHECK_INT(read_mem("a\n\xD6\xD0\xD6", 5, IL_FMT_CSV, "gb18030", &out), IL_EENCODING);
	IL_CHECK_CONTAINS(il_error_detail(IL_EENCODING), "t.csv:2: text ends inside a GB18030");
	il_buf_release(&out);
}

/* A big file: a GB18030 character across every 64 KiB chunk edge, then
 * an invalid byte far past the detection window. */
static void test_chunks(void)
{
	struct il_buf src, out;
	size_t n, lines = 0;
	il_buf_init(&src, 0);
	il_buf_adds(&src, "id,名字\n");
	while (src.len < 5 * CHUNK) {
		il_buf_addf(&src, "%zu,中文名字%zu\n", lines, lines);
		lines++;
	}
	char *gb = to_gb18030(src.ptr, &n);
	const char *path = tmp_path("chunks_gb.csv");
	write_file(path, gb, n);
	struct il_reader *r = NULL;
	IL_CHECK_INT(il_reader_open(path, IL_FMT_AUTO, NULL, NULL, &r), IL_OK);
	struct il_row row;
	bool done = false;
	size_t count = 0, bad = 0;
	double last = 0;
	char want[64];
	while (il_reader_next(r, &row, &done) == IL_OK && !done) {
		snprintf(want, sizeof(want), "中文名字%zu", count);
		if (strcmp(row.values[1], want) != 0 || row.line != count + 2)
			bad++;
		if (il_reader_progress(r) < last)
			bad++;
		last = il_reader_progress(r);
		count++;
	}
	IL_CHECK(done);
	IL_CHECK_INT(count, lines);
	IL_CHECK_INT(bad, 0);
	IL_CHECK(il_reader_progress(r) == 1.0);
	il_reader_close(r);
	free(gb);

	/* UTF-8 with a 3-byte character straddling the detection window's end */
	il_buf_reset(&src);
	il_buf_adds(&src, "k,v\n");
	while (src.len < CHUNK - 7)
		il_buf_adds(&src, "1,x\n");
	il_buf_adds(&src, "2,");
	while (src.len < CHUNK - 1)
		il_buf_addc(&src, 'x');
	il_buf_adds(&src, "中\n");
	IL_CHECK_INT(read_mem(src.ptr, src.len, IL_FMT_CSV, NULL, &out), IL_OK);
	IL_CHECK(out.len > 4 && strcmp(out.ptr + out.len - 4, "中\n") == 0);
	il_buf_release(&out);

	/* pure ASCII in the first 64 KiB, then a GBK byte: named with its line */
	il_buf_reset(&src);
	il_buf_adds(&src, "k,v\n");
	lines = 1;
	while (src.len < 3 * CHUNK) {
		il_buf_adds(&src, "1,abcdefgh\n");
		lines++;
	}
	size_t off = src.len + 2;
	il_buf_adds(&src, "2,\xD6\xD0\n");
	IL_CHECK_INT(read_mem(src.ptr, src.len, IL_FMT_CSV, NULL, &out), IL_EENCODING);
	char msg[128];
	snprintf(msg, sizeof(msg), "t.csv:%zu: byte 0xD6 at offset %zu is not valid UTF-8",
		 lines + 1, off);
	IL_CHECK_CONTAINS(il_error_detail(IL_EENCODING), msg);
	il_buf_release(&out);
	il_buf_release(&src);
}

static void test_utf16(void)
{
	struct il_buf out;
	/* Excel's "Unicode text": UTF-16LE with a BOM, tab-separated */
	const unsigned char le[] = {0xFF, 0xFE, 'a',  0,    '\t', 0,   'b', 0,    '\r', 0,    '\n',
				    0,    0x2D, 0x4E, '\t', 0,    '1', 0,   '\r', 0,    '\n', 0};
	IL_CHECK_INT(read_mem((const char *)le, sizeof(le), IL_FMT_TSV, NULL, &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|中|1\n");
	il_buf_release(&out);
}

/* Reads back, with the format and encoding detected, what
 * test_writer_round_trip() wrote: the CR LF inside a value moves the third
 * record to line 5. */
static void check_round_trip_rows(const char *path)
{
	struct il_reader *r = NULL;
	struct il_buf out;
	il_buf_init(&out, 0);
	IL_CHECK_INT(il_reader_open(path, IL_FMT_AUTO, NULL, NULL, &r), IL_OK);
	IL_CHECK_INT(dump_reader(r, DUMP_VALUES, &out), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&out), "2|中科院|说\"你好\"|1200|\n"
					"3| 前后空格 |两行\r\n文本|3.5|\n"
					"5|a,b||-1|x\n");
	il_reader_close(r);
	il_buf_release(&out);
}

static void test_writer_round_trip(void)
{
	const char *headers[] = {"名称", "备注", "金额", "空"};
	const enum il_cell_type types[] = {IL_CELL_TEXT, IL_CELL_TEXT, IL_CELL_NUMBER,
					   IL_CELL_TEXT};
	const char *rows[][4] = {
		{"中科院", "说\"你好\"", "1200", NULL},
		{" 前后空格 ", "两行\r\n文本", "3.5", ""},
		{"a,b", "", "-1", "x"},
	};
	const char *path = tmp_path("round.csv");
	struct il_writer *w = NULL;
	IL_CHECK_INT(il_writer_open(path, IL_FMT_AUTO, NULL, NULL, 4, headers, types, &w), IL_OK);
	for (size_t i = 0; i < 3; i++)
		IL_CHECK_INT(il_writer_row(w, rows[i]), IL_OK);
	IL_CHECK_INT(il_writer_close(w), IL_OK);

	size_t n;
	char *bytes = slurp(path, &n);
	const char *head = "\xEF\xBB\xBF名称,备注,金额,空\r\n";
	IL_CHECK(bytes && n > strlen(head) && memcmp(bytes, head, strlen(head)) == 0);
	IL_CHECK(bytes && strstr(bytes, "中科院,\"说\"\"你好\"\"\",1200,\r\n") != NULL);
	IL_CHECK(bytes && strstr(bytes, "\" 前后空格 \",\"两行\r\n文本\",3.5,\r\n") != NULL);
	free(bytes);

	check_round_trip_rows(path);

	/* GB18030 output, read back by detection */
	path = tmp_path("round_gb.tsv");
	IL_CHECK_INT(il_writer_open(path, IL_FMT_AUTO, "gb18030", NULL, 4, headers, types, &w),
		     IL_OK);
	for (size_t i = 0; i < 3; i++)
		IL_CHECK_INT(il_writer_row(w, rows[i]), IL_OK);
	const char *bad[] = {"ok", "\xFF\xFE", NULL, NULL};
	IL_CHECK_INT(il_writer_row(w, bad), IL_EENCODING);
	IL_CHECK_CONTAINS(il_error_detail(IL_EENCODING), "row 4, column \"备注\"");
	IL_CHECK_INT(il_writer_close(w), IL_OK);
	bytes = slurp(path, &n);
	/* 名称 in GB18030 is C3 FB B3 C6 */
	IL_CHECK(bytes && n > 4 && memcmp(bytes, "\xC3\xFB\xB3\xC6\t", 5) == 0);
	free(bytes);
	check_round_trip_rows(path);

	IL_CHECK_INT(il_writer_open("/nonexistent/dir/x.csv", IL_FMT_CSV, NULL, NULL, 4, headers,
				    types, &w),
		     IL_EIO);
	IL_CHECK(w == NULL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EIO), "/nonexistent/dir/x.csv");
	IL_CHECK_INT(il_writer_open(tmp_path("x.csv"), IL_FMT_CSV, "latin1", NULL, 4, headers,
				    types, &w),
		     IL_EINVAL);
}

/* Every allocation of open and read fails in turn; each must come back as
 * IL_ENOMEM (and leak nothing, which the sanitizer build checks). */
static void test_alloc_failures(void)
{
	const char *csv = "名称,城市\n中科院,\"北\n京\"\n华为,深圳\n";
	unsigned long failed = check_alloc_failures(csv, strlen(csv), IL_FMT_CSV, "m.csv", 2, 1000);
	IL_CHECK(failed > 1);
}

int main(void)
{
	IL_RUN(test_format_names);
	IL_RUN(test_quoting_and_lines);
	IL_RUN(test_long_runs);
	IL_RUN(test_tsv);
	IL_RUN(test_errors);
	IL_RUN(test_limits);
	IL_RUN(test_gb18030);
	IL_RUN(test_chunks);
	IL_RUN(test_utf16);
	IL_RUN(test_writer_round_trip);
	IL_RUN(test_alloc_failures);
	IL_DONE();
}
