/*
 * fuzz_reader.h - the body that the fuzz targets of the row readers share
 * (fuzz_csv.c, fuzz_jsonl.c, fuzz_xlsx.c, each a few lines naming its
 * format).
 *
 * fuzz_reader() opens the input as a file of one format and reads every
 * row, trapping when a row breaks what struct il_row promises (each value
 * NUL-terminated at its length, a key for every cell); any other outcome
 * but a crash, a sanitizer report or a leak is fine.  Not a target itself:
 * fuzz/CMakeLists.txt builds only fuzz_*.c.
 */
#ifndef INNOLINK_FUZZ_READER_H
#define INNOLINK_FUZZ_READER_H

#include <innolink/io.h>

/* `name` is what the reader puts in `where` and its error details. */
static int fuzz_reader(const uint8_t *data, size_t size, enum il_format fmt, const char *name)
{
	struct il_reader *r = NULL;
	struct il_row row;
	bool done = false;
	if (il_reader_open_mem(data, size, fmt, NULL, name, &r) != IL_OK)
		return 0;
	while (il_reader_next(r, &row, &done) == IL_OK && !done)
		for (size_t i = 0; i < row.ncells; i++)
			if (row.values[i][row.lens[i]] != '\0' || !row.keys[i])
				__builtin_trap();
	(void)il_reader_progress(r);
	il_reader_close(r);
	return 0;
}

#endif
