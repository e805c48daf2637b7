/*
 * fuzz_csv.c - libFuzzer target for the CSV reader (and, through the bytes it
 * is given, encoding detection and GB18030 conversion).
 *
 * Built with -fsanitize=fuzzer under IL_FUZZ, else with driver.c, which
 * replays fuzz/corpus/csv/ as a CTest test.  The body is fuzz_reader.h's.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_reader(data, size, IL_FMT_CSV, "fuzz.csv");
}
