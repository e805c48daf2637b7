/*
 * fuzz_xlsx.c - libFuzzer target for the XLSX reader: zip container, workbook,
 * styles, shared strings and sheet XML.
 *
 * Built with -fsanitize=fuzzer under IL_FUZZ, else with driver.c, which
 * replays fuzz/corpus/xlsx/ as a CTest test.  The body is fuzz_reader.h's.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_reader(data, size, IL_FMT_XLSX, "fuzz.xlsx");
}
