/*
 * fuzz_match.c - libFuzzer target for free text matched against a small
 * world (il_match_run from text), which cuts a long text to its most
 * telling concepts (src/match/select.c) before it searches.
 *
 * Input: one byte of options, then the text.  The low three bits plus one
 * are query.terms (1..8, so most inputs are cut); bit 3 asks every kind
 * blended as JSON, else experts only; bit 4 filters by region 4210.  The
 * world (a university, an enterprise, an agency, an expert, Chinese and
 * English achievements, a public and a confidential demand) is put into a
 * scratch SQLite store on first use, with the real analyzer (fuzz_text.h).
 *
 * Any answer but IL_OK, or IL_EINVAL for empty or invalid text, is a bug;
 * so are results not best first within a kind, the confidential demand
 * among them, and a term reason whose `from` is not text of the input
 * (explanations must name the source's words as written).
 */
#include "fuzz_text.h"

#include <innolink/match.h>

#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const world[][10] = {
	{"region", "42", "name_zh", "湖北省", "level", "province"},
	{"region", "4210", "name_zh", "荆州市", "level", "city", "parent", "42"},
	{"organization", "UNI", "name_zh", "长江大学", "kind", "university", "region", "4210"},
	{"organization", "CO", "name_zh", "石油机械公司", "kind", "enterprise"},
	{"organization", "AG", "name_zh", "技术转移中心", "kind", "agency", "description",
	 "钻井泵 技术转移 服务 patent licensing"},
	{"person", "PER", "name_zh", "贾斌", "affiliation", "UNI", "fields", "石油机械 耐磨涂层"},
	{"achievement", "EN", "title", "Wear-resistant HVOF coating for drilling mud pump plungers",
	 "abstract", "A sprayed tungsten carbide coating lasts three times longer.", "owner",
	 "UNI"},
	{"achievement", "ZH", "title", "钻井泵柱塞耐磨涂层", "abstract", "柱塞表面喷涂碳化钨。",
	 "owner", "UNI", "inventors", "贾斌"},
	{"demand", "PUB", "title", "钻井泵柱塞寿命提升", "description", "钻井泵柱塞磨损严重",
	 "owner", "CO", "visibility", "public"},
	{"demand", "SEC", "title", "柱塞涂层保密项目", "description", "柱塞涂层 碳化钨", "owner",
	 "CO", "visibility", "confidential"},
};

static struct il_store *store;
static struct il_index *ix;
static char db_path[256];

static void cleanup(void)
{
	il_index_close(ix);
	il_store_close(store);
	unlink(db_path);
}

static void put(const char *const *row)
{
	struct il_record r;
	enum il_kind k;
	int rc = il_kind_parse(row[0], &k);
	if (rc || il_record_init(&r, k) != IL_OK)
		__builtin_trap();
	rc = il_record_set_id(&r, row[1], strlen(row[1]));
	for (size_t i = 2; i + 1 < 10 && row[i] && !rc; i += 2)
		rc = il_record_set_by_name(&r, row[i], row[i + 1], strlen(row[i + 1]));
	if (rc || il_store_put(store, &r, IL_PUT_NO_DEDUP, "fuzz", &(enum il_put_result){0}))
		__builtin_trap();
	il_record_release(&r);
}

static void open_world(void)
{
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(db_path, sizeof(db_path), "%s/fuzz-match-%d.db", tmp, (int)getpid());
	unlink(db_path);
	if (il_store_open(db_path, IL_STORE_CREATE, &store) != IL_OK)
		__builtin_trap();
	atexit(cleanup);
	for (size_t i = 0; i < sizeof(world) / sizeof(world[0]); i++)
		put(world[i]);
	if (il_index_open(fuzz_analyzer(0), NULL, &ix) != IL_OK ||
	    il_index_build(ix, store, NULL) != IL_OK)
		__builtin_trap();
}

/* Whether s is a run of bytes of text[0..len). */
static bool within(const char *s, const uint8_t *text, size_t len)
{
	size_t n = strlen(s);
	for (size_t i = 0; n <= len && i + n <= len; i++)
		if (memcmp(text + i, s, n) == 0)
			return true;
	return false;
}

static void check(const struct il_match_answer *a, const uint8_t *text, size_t len)
{
	for (size_t i = 0; i < a->nresults; i++) {
		const struct il_match_result *r = &a->results[i];
		if (strcmp(r->id, "SEC") == 0)
			__builtin_trap();
		if (i > 0 && r->kind == a->results[i - 1].kind &&
		    r->score > a->results[i - 1].score)
			__builtin_trap();
		for (size_t j = 0; j < r->nreasons; j++) {
			const struct il_match_reason *x = &r->reasons[j];
			if (x->type == IL_REASON_TERM && x->from && !within(x->from, text, len))
				__builtin_trap();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct il_match_config cfg;
	struct il_match_query q;
	struct il_match_answer a;
	struct il_match *m;
	struct il_arena arena;
	struct il_buf json = IL_BUF_INIT;
	if (size < 1)
		return 0;
	if (!store)
		open_world();
	il_match_config_init(&cfg);
	cfg.query_terms = (size_t)(data[0] & 7u) + 1;
	if (il_match_open(store, ix, fuzz_analyzer(0), &cfg, &m) != IL_OK)
		__builtin_trap();
	il_match_query_init(&q);
	q.text = (const char *)data + 1;
	q.len = size - 1;
	q.kinds = (data[0] & 8u) ? 0 : 1u << IL_MATCH_EXPERT;
	q.region = (data[0] & 16u) ? "4210" : NULL;
	il_arena_init(&arena, 0, 0);
	int rc = il_match_run(m, &q, &arena, &a);
	if (rc == IL_OK) {
		check(&a, data + 1, size - 1);
		if ((data[0] & 8u) && il_match_to_json(m, &a, IL_MATCH_JSON_BEST, &json) != IL_OK)
			__builtin_trap();
	} else if (rc != IL_EINVAL) {
		__builtin_trap();
	}
	il_buf_release(&json);
	il_arena_release(&arena);
	il_match_close(m);
	il_error_clear();
	return 0;
}
