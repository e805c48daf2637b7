/*
 * test_jsonl.c - the JSON Lines reader and writer: values of every JSON
 * type as text, key order, blank lines and line numbers, errors naming
 * line, column and key, typed output, round trips and allocation failures.
 */
#include <innolink/io.h>

#include "test.h"
#include "io_test.h"

/* A JSON Lines text named t.jsonl, which the error details show. */
static int read_str(const char *data, struct il_buf *out)
{
	return read_rows_mem(data, strlen(data), IL_FMT_JSONL, NULL, "t.jsonl", DUMP_KEYS, out);
}

static void test_values(void)
{
	struct il_buf out;
	const char *in =
		"\xEF\xBB\xBF{\"名称\":\"中科院\",\"n\":12,\"r\":0.1,\"big\":1e20,\"t\":true,"
		"\"f\":false,\"z\":null,\"tags\":[\"ai\",3,2.5,false,null,\"芯片\"],\"e\":[]}\r\n"
		"\n"
		"   \n"
		"{\"b\":\"2\",\"a\":\"1\",\"s\":\"tab\\there \\u4e2d\"}\n"
		"{}\n"
		"{\"last\":\"no newline\"}";
	IL_CHECK_INT(read_str(in, &out), IL_OK);
	IL_CHECK_STR(
		il_buf_cstr(&out),
		"1|名称=中科院|n=12|r=0.1|big=1e+20|t=true|f=false|z=|tags=ai;3;2.5;false;芯片|e=\n"
		"4|b=2|a=1|s=tab\there 中\n"
		"5\n"
		"6|last=no newline\n");
	il_buf_release(&out);

	struct il_reader *r = NULL;
	struct il_row row;
	bool done;
	IL_CHECK_INT(il_reader_open_mem(in, strlen(in), IL_FMT_AUTO, NULL, "x.ndjson", &r), IL_OK);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK_STR(row.where, "x.ndjson:1");
	IL_CHECK_INT(row.ncells, 9);
	IL_CHECK_INT(row.lens[0], strlen("中科院"));
	IL_CHECK(row.values[6] != NULL && row.lens[6] == 0);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK_STR(row.where, "x.ndjson:4");
	il_reader_close(r);

	/* no name, no format: sniffed from the first byte */
	IL_CHECK_INT(il_reader_open_mem("  {\"a\":1}\n", 10, IL_FMT_AUTO, NULL, NULL, &r), IL_OK);
	IL_CHECK_INT(il_reader_next(r, &row, &done), IL_OK);
	IL_CHECK_STR(row.values[0], "1");
	IL_CHECK_STR(row.where, "(memory):1");
	il_reader_close(r);
}

static void test_errors(void)
{
	struct il_buf out;
	IL_CHECK_INT(read_str("{\"a\":1}\n{\"org\":{\"name\":\"x\"}}\n", &out), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "t.jsonl:2: key \"org\" holds an object");
	IL_CHECK_STR(il_buf_cstr(&out), "1|a=1\n");
	il_buf_release(&out);

	IL_CHECK_INT(read_str("\n{\"tags\":[\"a\",[\"b\"]]}\n", &out), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT),
			  "t.jsonl:2: key \"tags\": item 2 of the array is an array");
	il_buf_release(&out);

	IL_CHECK_INT(read_str("{\"a\":1}\n\n{\"a\": tru}\n", &out), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "t.jsonl:3: column ");
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "invalid token");
	il_buf_release(&out);

	IL_CHECK_INT(read_str("{\"a\":1,\"a\":2}\n", &out), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "t.jsonl:1: column ");
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "duplicate object key");
	il_buf_release(&out);

	IL_CHECK_INT(read_str("[1,2]\n", &out), IL_EFORMAT);
	IL_CHECK_STR(il_error_detail(IL_EFORMAT),
		     "t.jsonl:1: expected a JSON object, found an array");
	il_buf_release(&out);

	IL_CHECK_INT(read_str("{\"a\":\"x\"}\n{\"b\":\"\xFF\"}\n", &out), IL_EENCODING);
	IL_CHECK_CONTAINS(il_error_detail(IL_EENCODING), "t.jsonl:2: byte 0xFF at offset 16");
	il_buf_release(&out);

	IL_CHECK_INT(read_str("{\"a\":\"x\\u0000y\"}\n", &out), IL_EFORMAT);
	il_buf_release(&out);

	/* a line past IL_IO_MAX_LINE */
	size_t big = IL_IO_MAX_LINE + 16;
	char *line = malloc(big + 1);
	memset(line, ' ', big);
	line[0] = '{';
	line[big] = '\0';
	IL_CHECK_INT(read_str(line, &out), IL_ETOOBIG);
	IL_CHECK_CONTAINS(il_error_detail(IL_ETOOBIG), "t.jsonl:1: line longer than");
	il_buf_release(&out);
	/* a value past IL_IO_MAX_CELL */
	memset(line, 'x', big);
	memcpy(line, "{\"k\":\"", 6);
	memcpy(line + IL_IO_MAX_CELL + 100, "\"}", 3);
	IL_CHECK_INT(read_str(line, &out), IL_ETOOBIG);
	IL_CHECK_CONTAINS(il_error_detail(IL_ETOOBIG), "t.jsonl:1: key \"k\": value longer than");
	il_buf_release(&out);
	free(line);
}

static void test_writer(void)
{
	const char *headers[] = {"名称", "金额", "比例", "上市", "标签", "备注", "代码"};
	const enum il_cell_type types[] = {IL_CELL_TEXT,  IL_CELL_NUMBER, IL_CELL_NUMBER,
					   IL_CELL_BOOL,  IL_CELL_LIST,   IL_CELL_TEXT,
					   IL_CELL_NUMBER};
	const char *rows[][7] = {
		{"中科\"院\"", "1200", "0.5", "1", "芯片;AI", "两行\n文本", "007"},
		{"华为", "n/a", "-2e3", "false", "", "", NULL},
		{NULL, NULL, NULL, "maybe", "x;;y", "  ", "0x10"},
	};
	const char *path = tmp_path("w.jsonl");
	struct il_writer *w = NULL;
	IL_CHECK_INT(il_writer_open(path, IL_FMT_AUTO, NULL, NULL, 7, headers, types, &w), IL_OK);
	for (size_t i = 0; i < 3; i++)
		IL_CHECK_INT(il_writer_row(w, rows[i]), IL_OK);
	IL_CHECK_INT(il_writer_close(w), IL_OK);

	size_t n;
	char *text = slurp(path, &n);
	IL_CHECK_STR(
		text,
		"{\"名称\":\"中科\\\"院\\\"\",\"金额\":1200,\"比例\":0.5,\"上市\":true,"
		"\"标签\":[\"芯片\",\"AI\"],\"备注\":\"两行\\n文本\",\"代码\":7}\n"
		"{\"名称\":\"华为\",\"金额\":\"n/a\",\"比例\":-2000.0,\"上市\":false,"
		"\"标签\":[],\"备注\":\"\"}\n"
		"{\"上市\":\"maybe\",\"标签\":[\"x\",\"y\"],\"备注\":\"  \",\"代码\":\"0x10\"}\n");
	free(text);

	struct il_reader *r = NULL;
	struct il_buf out;
	il_buf_init(&out, 0);
	IL_CHECK_INT(il_reader_open(path, IL_FMT_AUTO, NULL, NULL, &r), IL_OK);
	IL_CHECK_INT(dump_reader(r, DUMP_KEYS, &out), IL_OK);
	IL_CHECK_STR(
		il_buf_cstr(&out),
		"1|名称=中科\"院\"|金额=1200|比例=0.5|上市=true|标签=芯片;AI|备注=两行\n文本|代码=7\n"
		"2|名称=华为|金额=n/a|比例=-2000|上市=false|标签=|备注=\n"
		"3|上市=maybe|标签=x;y|备注=  |代码=0x10\n");
	il_reader_close(r);
	il_buf_release(&out);

	IL_CHECK_INT(il_writer_open("/nonexistent/w.jsonl", IL_FMT_AUTO, NULL, NULL, 7, headers,
				    types, &w),
		     IL_EIO);
	IL_CHECK_CONTAINS(il_error_detail(IL_EIO), "/nonexistent/w.jsonl");
}

static void test_alloc_failures(void)
{
	const char *in =
		"{\"名称\":\"中科院\",\"tags\":[\"a\",1]}\n\n{\"名称\":\"华为\",\"n\":2.5}\n";
	unsigned long failed =
		check_alloc_failures(in, strlen(in), IL_FMT_JSONL, "m.jsonl", 2, 1000);
	IL_CHECK(failed > 1);
}

int main(void)
{
	IL_RUN(test_values);
	IL_RUN(test_errors);
	IL_RUN(test_writer);
	IL_RUN(test_alloc_failures);
	IL_DONE();
}
