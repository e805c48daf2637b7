/*
 * fuzz_chaindef.c - libFuzzer target for chain definition files
 * (il_chain_import), and the list of what was imported.
 *
 * Built with -fsanitize=fuzzer under IL_FUZZ, else with driver.c, which
 * replays fuzz/corpus/chaindef/ as a CTest test.  Each input is written to
 * a scratch file and imported into one scratch SQLite store kept across
 * inputs; a definition that imports is listed again.
 */
#include <innolink/chain.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct il_store *store;
static char db_path[256], def_path[256];

static void cleanup(void)
{
	il_store_close(store);
	unlink(db_path);
	unlink(def_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct il_buf b = IL_BUF_INIT;
	FILE *f;
	if (!store) {
		const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
		snprintf(db_path, sizeof(db_path), "%s/fuzz-chaindef-%d.db", tmp, (int)getpid());
		snprintf(def_path, sizeof(def_path), "%s/fuzz-chaindef-%d.json", tmp,
			 (int)getpid());
		unlink(db_path);
		if (il_store_open(db_path, IL_STORE_CREATE, &store) != IL_OK)
			abort();
		atexit(cleanup);
	}
	if (!(f = fopen(def_path, "wb")))
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	if (il_chain_import(store, def_path, false, NULL, NULL) == IL_OK) {
		il_chain_list_json(store, NULL, NULL, true, &b);
		il_buf_reset(&b);
	}
	il_buf_release(&b);
	return 0;
}
