/*
 * fuzz_xlsx.c - libFuzzer target for the XLSX reader: zip container, workbook, styles, shared strings and sheet XML.
 *
 * Opens the input as a file of that format and reads every row; any
 * outcome but a crash, a sanitizer report or a leak is fine.  Built with
 * -fsanitize=fuzzer under IL_FUZZ, else with driver.c, which replays
 * fuzz/corpus/xlsx/ as a CTest test.
 */
#include <innolink/io.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct il_reader *r = NULL;
	struct il_row row;
	bool done = false;
	if (il_reader_open_mem(data, size, IL_FMT_XLSX, NULL, "fuzz.xlsx", &r) != IL_OK)
		return 0;
	while (il_reader_next(r, &row, &done) == IL_OK && !done)
		for (size_t i = 0; i < row.ncells; i++)
			if (row.values[i][row.lens[i]] != '\0' || !row.keys[i])
				__builtin_trap();
	(void)il_reader_progress(r);
	il_reader_close(r);
	return 0;
}
