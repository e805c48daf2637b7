/*
 * fuzz_jsonl.c - libFuzzer target for the JSON Lines reader.
 *
 * Built with -fsanitize=fuzzer under IL_FUZZ, else with driver.c, which
 * replays fuzz/corpus/jsonl/ as a CTest test.  The body is fuzz_reader.h's.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_reader(data, size, IL_FMT_JSONL, "fuzz.jsonl");
}
