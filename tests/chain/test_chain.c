/*
 * test_chain.c - chains, placements and gaps on a small hand-made province
 * whose answers are known, in a real SQLite store.
 *
 * Province 99 has cities 9901 (with district 990101), 9902 and 9903; the
 * chain CHN-T (tests/fixtures/chain/test-chain.json) has four links and one
 * sub-link.  Placed by hand so that, for city 9901, LNK-T-1 is strong,
 * LNK-T-2 industry_only, LNK-T-3 innovation_only and LNK-T-4 weak.
 */
#include <innolink/chain.h>
#include <innolink/io.h>
#include <jansson.h>
#include <unistd.h>

#include "test.h"

#define FIX IL_TEST_SRCDIR "/fixtures/chain/"

static struct il_store *fresh_store(const char *name)
{
	static const struct {
		const char *file;
		enum il_kind kind;
	} files[] = {
		{"regions.csv", IL_KIND_REGION}, {"orgs.csv", IL_KIND_ORGANIZATION},
		{"persons.csv", IL_KIND_PERSON}, {"achievements.csv", IL_KIND_ACHIEVEMENT},
		{"demands.csv", IL_KIND_DEMAND},
	};
	struct il_store *s = NULL;
	char path[512];
	snprintf(path, sizeof(path), "%s/chain-%s-%d.db", IL_TEST_TMPDIR, name, (int)getpid());
	unlink(path);
	IL_CHECK_INT(il_store_open(path, IL_STORE_CREATE, &s), IL_OK);
	for (size_t i = 0; i < 5; i++) {
		struct il_import_opts o;
		struct il_import_stats st;
		memset(&o, 0, sizeof(o));
		o.kind = files[i].kind;
		snprintf(path, sizeof(path), FIX "%s", files[i].file);
		IL_CHECK_INT(il_import_file(s, path, &o, &st), IL_OK);
		if (i == 0)
			IL_CHECK_INT(il_chain_import(s, FIX "test-chain.json", false, NULL, NULL),
				     IL_OK);
	}
	return s;
}

static const struct il_chain_gap *gap_of(const struct il_chain_gaps *g, const char *link)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->gaps[i].link->id, link) == 0)
			return &g->gaps[i];
	return NULL;
}

static void place(struct il_store *s, enum il_kind k, const char *id, const char *link)
{
	int rc = il_chain_place(s, k, id, link, false, "test");
	if (rc)
		printf("# place %s on %s: %s\n", id, link, il_error_detail(rc));
	IL_CHECK_INT(rc, IL_OK);
}

static void place_known(struct il_store *s)
{
	place(s, IL_KIND_ORGANIZATION, "E-A1", "LNK-T-1");
	place(s, IL_KIND_ORGANIZATION, "E-A2", "LNK-T-1-1"); /* counts on its parent too */
	place(s, IL_KIND_ORGANIZATION, "LAB-A", "LNK-T-1");
	place(s, IL_KIND_ORGANIZATION, "E-A3", "LNK-T-2");
	place(s, IL_KIND_ORGANIZATION, "E-B1", "LNK-T-2");
	place(s, IL_KIND_PERSON, "P-B", "LNK-T-2");
	place(s, IL_KIND_ACHIEVEMENT, "ACH-A", "LNK-T-3");
	place(s, IL_KIND_PERSON, "P-A", "LNK-T-3");
	place(s, IL_KIND_ORGANIZATION, "E-B2", "LNK-T-3");
	place(s, IL_KIND_ORGANIZATION, "E-C1", "LNK-T-4");
	place(s, IL_KIND_ORGANIZATION, "LAB-C", "LNK-T-4");
	place(s, IL_KIND_DEMAND, "DEM-OPEN", "LNK-T-4");
	place(s, IL_KIND_DEMAND, "DEM-SECRET", "LNK-T-4");
}

static void test_definition(void)
{
	struct il_store *s = fresh_store("def");
	struct il_buf b = IL_BUF_INIT;
	struct il_import_stats st;
	struct il_record r;
	IL_CHECK_INT(il_store_get(s, IL_KIND_LINK, "LNK-T-1-1", &r), IL_OK);
	IL_CHECK_STR(il_record_get(&r, "parent"), "LNK-T-1");
	IL_CHECK_STR(il_record_get(&r, "segment"), "upstream");
	IL_CHECK_STR(il_record_get(&r, "chain"), "CHN-T");
	il_record_release(&r);
	IL_CHECK_INT(il_store_get(s, IL_KIND_LINK, "LNK-T-3", &r), IL_OK);
	IL_CHECK_STR(il_record_get(&r, "position"), "2");
	il_record_release(&r);
	/* exported and imported again: nothing changes */
	IL_CHECK_INT(il_chain_export(s, "CHN-T", &b), IL_OK);
	FILE *f = fopen(IL_TEST_TMPDIR "/chain-export.json", "w");
	IL_CHECK(f != NULL);
	if (f) {
		fputs(il_buf_cstr(&b), f);
		fclose(f);
	}
	IL_CHECK_INT(il_chain_import(s, IL_TEST_TMPDIR "/chain-export.json", false, NULL, &st),
		     IL_OK);
	IL_CHECK_INT(st.rows, 6);
	IL_CHECK_INT(st.unchanged, 6);
	/* bad definitions name the file and where */
	IL_CHECK_INT(il_chain_import(s, FIX "bad-syntax.json", false, NULL, NULL), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "bad-syntax.json:4:");
	IL_CHECK_INT(il_chain_import(s, FIX "bad-member.json", false, NULL, NULL), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "LNK-X-1: unknown member 'keyword'");
	IL_CHECK_INT(il_chain_import(s, FIX "bad-segment.json", false, NULL, NULL), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "segment 'sidestream'");
	IL_CHECK_INT(il_store_get(s, IL_KIND_CHAIN, "CHN-X", &r), IL_ENOTFOUND);
	/* a link dropped from the file is deleted with its placements */
	place(s, IL_KIND_ORGANIZATION, "E-A2", "LNK-T-1-1");
	IL_CHECK_INT(il_chain_import(s, FIX "test-chain-v2.json", false, NULL, &st), IL_OK);
	IL_CHECK_INT(il_store_get(s, IL_KIND_LINK, "LNK-T-1-1", &r), IL_ENOTFOUND);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ASSIGNMENT, "ASG-organization:E-A2@LNK-T-1-1", &r),
		     IL_ENOTFOUND);
	il_buf_release(&b);
	il_store_close(s);
}

static void test_gap_classes(void)
{
	struct il_store *s = fresh_store("gaps");
	struct il_chain_gaps g;
	const struct il_chain_gap *x;
	place_known(s);
	IL_CHECK_INT(il_chain_gaps(s, "9901", "CHN-T", &g), IL_OK);
	IL_CHECK_INT(g.n, 5);
	IL_CHECK_INT(g.npeers, 3);
	if ((x = gap_of(&g, "LNK-T-1")) != NULL) {
		IL_CHECK_INT(x->here.enterprises, 2); /* one in a district, one on a sub-link */
		IL_CHECK_INT(x->here.high_tech, 1);
		IL_CHECK_INT(x->here.labs, 1);
		IL_CHECK(x->industry > 2.99 && x->industry < 3.01);
		IL_CHECK_STR(il_chain_class_name(x->cls), "strong");
	}
	IL_CHECK(gap_of(&g, "LNK-T-2") && gap_of(&g, "LNK-T-2")->cls == IL_CHAIN_INDUSTRY_ONLY);
	IL_CHECK(gap_of(&g, "LNK-T-3") && gap_of(&g, "LNK-T-3")->cls == IL_CHAIN_INNOVATION_ONLY);
	IL_CHECK(gap_of(&g, "LNK-T-4") && gap_of(&g, "LNK-T-4")->cls == IL_CHAIN_WEAK);
	IL_CHECK(gap_of(&g, "LNK-T-1-1") && gap_of(&g, "LNK-T-1-1")->cls == IL_CHAIN_INDUSTRY_ONLY);
	il_chain_gaps_release(&g);
	/* the same link is strong where its industry and lab are */
	IL_CHECK_INT(il_chain_gaps(s, "9903", "CHN-T", &g), IL_OK);
	IL_CHECK(gap_of(&g, "LNK-T-4") && gap_of(&g, "LNK-T-4")->cls == IL_CHAIN_STRONG);
	il_chain_gaps_release(&g);
	IL_CHECK_INT(il_chain_gaps(s, "9999", NULL, &g), IL_ENOTFOUND);
	il_store_close(s);
}

static void test_gap_json(void)
{
	struct il_store *s = fresh_store("json");
	struct il_buf b = IL_BUF_INIT;
	json_error_t err;
	json_t *j, *l;
	size_t i;
	place_known(s);
	/* the gaps: an array, one entry per link with both strengths and a class */
	struct il_chain_gaps g;
	IL_CHECK_INT(il_chain_gaps(s, "9901", "CHN-T", &g), IL_OK);
	IL_CHECK_INT(il_chain_gaps_json(&g, &b), IL_OK);
	il_chain_gaps_release(&g);
	IL_CHECK((j = json_loads(il_buf_cstr(&b), 0, &err)) != NULL);
	IL_CHECK_INT(json_array_size(j), 5);
	l = json_array_get(j, 0);
	IL_CHECK_STR(json_string_value(json_object_get(l, "link")), "LNK-T-1");
	IL_CHECK_STR(json_string_value(json_object_get(l, "class")), "strong");
	IL_CHECK(json_real_value(json_object_get(l, "industrial_strength")) > 2.99);
	IL_CHECK_INT(json_integer_value(
			     json_object_get(json_object_get(l, "innovation"), "laboratories")),
		     1);
	IL_CHECK_STR(json_string_value(json_object_get(json_array_get(j, 1), "parent")), "LNK-T-1");
	json_decref(j);
	il_buf_reset(&b);
	IL_CHECK_INT(il_chain_link_report_json(s, "9901", "LNK-T-4", 0, &b), IL_OK);
	IL_CHECK((j = json_loads(il_buf_cstr(&b), 0, &err)) != NULL);
	IL_CHECK_STR(json_string_value(json_object_get(j, "class")), "weak");
	l = json_object_get(j, "enterprises_to_attract");
	IL_CHECK_INT(json_array_size(l), 1);
	IL_CHECK_STR(json_string_value(json_object_get(json_array_get(l, 0), "id")), "E-C1");
	IL_CHECK_INT(json_array_size(json_object_get(j, "local_enterprises")), 0);
	l = json_object_get(j, "laboratories");
	IL_CHECK_STR(json_string_value(json_object_get(json_array_get(l, 0), "id")), "LAB-C");
	IL_CHECK_CONTAINS(il_buf_cstr(&b), "{\"measure\":\"laboratories\",\"here\":0");
	json_decref(j);
	/* the list counts what is placed, but never a confidential demand */
	il_buf_reset(&b);
	IL_CHECK_INT(il_chain_list_json(s, "CHN-T", NULL, true, &b), IL_OK);
	IL_CHECK((j = json_loads(il_buf_cstr(&b), 0, &err)) != NULL);
	json_array_foreach(json_object_get(json_array_get(j, 0), "links"), i, l)
	{
		if (strcmp(json_string_value(json_object_get(l, "id")), "LNK-T-4") == 0)
			IL_CHECK_INT(json_integer_value(json_object_get(l, "placed")), 3);
	}
	json_decref(j);
	IL_CHECK(strstr(il_buf_cstr(&b), "DEM-SECRET") == NULL);
	il_buf_release(&b);
	il_store_close(s);
}

struct seen {
	char log[4096];
};

static void on_change(const struct il_chain_change *c, void *ctx)
{
	struct seen *x = ctx;
	static const char *const w[] = {"+", "-", "~"};
	snprintf(x->log + strlen(x->log), sizeof(x->log) - strlen(x->log), "%s%s@%s/%s ",
		 w[c->what], c->entity, c->link, c->method);
}

static bool placed_on(struct il_store *s, const char *kind, const char *id, const char *link,
		      const char *method)
{
	char aid[256];
	struct il_record r;
	bool ok;
	snprintf(aid, sizeof(aid), "ASG-%s:%s@%s", kind, id, link);
	if (il_store_get(s, IL_KIND_ASSIGNMENT, aid, &r) != IL_OK)
		return false;
	ok = strcmp(il_record_get(&r, "method"), method) == 0;
	il_record_release(&r);
	return ok;
}

static void test_placement(void)
{
	struct il_store *s = fresh_store("assign");
	struct il_chain_assign_opts o;
	struct il_chain_assign_stats st;
	struct il_text *text = NULL;
	struct seen seen;
	IL_CHECK_INT(il_text_open(IL_TEST_SRCDIR "/../data", 0, &text), IL_OK);
	memset(&o, 0, sizeof(o));
	memset(&seen, 0, sizeof(seen));
	o.change = on_change;
	o.ctx = &seen;
	/* five links give terms a low IDF, so scores (and the confidence, fitted
	 * on the bundled chains' 205 links) run lower than in real use */
	o.min_confidence = 0.3;
	IL_CHECK_INT(il_chain_assign(s, text, &o, &st), IL_OK);
	IL_CHECK(st.records >= 17);
	IL_CHECK(st.added >= 4);
	/* by rule: an industry code, an IPC class */
	IL_CHECK(placed_on(s, "organization", "E-RULE", "LNK-T-1", "rule"));
	IL_CHECK(placed_on(s, "achievement", "ACH-IPC", "LNK-T-3", "rule"));
	IL_CHECK_CONTAINS(seen.log, "+E-RULE@LNK-T-1/rule");
	/* by the classifier, from the text alone */
	IL_CHECK(placed_on(s, "organization", "E-TEXT", "LNK-T-4", "classifier"));
	IL_CHECK(placed_on(s, "person", "P-TEXT", "LNK-T-3", "classifier"));
	/* a re-run with nothing changed changes nothing */
	size_t total = st.added;
	IL_CHECK_INT(il_chain_assign(s, text, &o, &st), IL_OK);
	IL_CHECK_INT(st.added + st.removed + st.updated, 0);
	IL_CHECK_INT(st.unchanged, total);
	/* by hand: wins, and is kept across re-runs */
	IL_CHECK_INT(il_chain_place(s, IL_KIND_ORGANIZATION, "E-RULE", "LNK-T-2", false, "test"),
		     IL_OK);
	IL_CHECK(!placed_on(s, "organization", "E-RULE", "LNK-T-1", "rule"));
	IL_CHECK(placed_on(s, "organization", "E-RULE", "LNK-T-2", "manual"));
	IL_CHECK_INT(il_chain_assign(s, text, &o, &st), IL_OK);
	IL_CHECK_INT(st.manual, 1);
	IL_CHECK_INT(st.added + st.removed + st.updated, 0);
	IL_CHECK(placed_on(s, "organization", "E-RULE", "LNK-T-2", "manual"));
	IL_CHECK(!placed_on(s, "organization", "E-RULE", "LNK-T-1", "rule"));
	/* taken back: the next run places it by rule again, and says so */
	IL_CHECK_INT(il_chain_place(s, IL_KIND_ORGANIZATION, "E-RULE", "LNK-T-1", true, "test"),
		     IL_ENOTFOUND);
	IL_CHECK_INT(il_chain_place(s, IL_KIND_ORGANIZATION, "E-RULE", "LNK-T-2", true, "test"),
		     IL_OK);
	seen.log[0] = '\0';
	IL_CHECK_INT(il_chain_assign(s, text, &o, &st), IL_OK);
	IL_CHECK_INT(st.added, 1);
	IL_CHECK_CONTAINS(seen.log, "+E-RULE@LNK-T-1/rule");
	/* a code that changes moves the placement; only changed records are read */
	int64_t seq = 0;
	struct il_record r;
	enum il_put_result res;
	IL_CHECK_INT(il_store_last_change(s, &seq), IL_OK);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ORGANIZATION, "E-RULE", &r), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&r, "industry_codes", "5930", 4), IL_OK);
	IL_CHECK_INT(il_store_put(s, &r, 0, "test", &res), IL_OK);
	il_record_release(&r);
	o.since = seq;
	seen.log[0] = '\0';
	IL_CHECK_INT(il_chain_assign(s, text, &o, &st), IL_OK);
	IL_CHECK_INT(st.records, 1);
	IL_CHECK_CONTAINS(seen.log, "-E-RULE@LNK-T-1/rule");
	IL_CHECK_CONTAINS(seen.log, "+E-RULE@LNK-T-4/rule");
	/* a placement imported under an id of its own is taken over, not doubled */
	IL_CHECK_INT(il_record_init(&r, IL_KIND_ASSIGNMENT), IL_OK);
	IL_CHECK_INT(il_record_set_id(&r, "ASG-IMPORTED", 12), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&r, "entity_kind", "organization", 12), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&r, "entity", "E-RULE", 6), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&r, "link", "LNK-T-4", 7), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&r, "method", "rule", 4), IL_OK);
	IL_CHECK_INT(il_store_put(s, &r, 0, "test", &res), IL_OK);
	il_record_release(&r);
	o.since = 0;
	IL_CHECK_INT(il_chain_assign(s, text, &o, &st), IL_OK);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ASSIGNMENT, "ASG-IMPORTED", &r), IL_ENOTFOUND);
	IL_CHECK(placed_on(s, "organization", "E-RULE", "LNK-T-4", "rule"));
	IL_CHECK_INT(il_chain_assign(s, text, &o, &st), IL_OK);
	IL_CHECK_INT(st.added + st.removed + st.updated, 0);
	/* errors */
	IL_CHECK_INT(il_chain_place(s, IL_KIND_ORGANIZATION, "E-RULE", "LNK-NONE", false, "t"),
		     IL_ENOTFOUND);
	IL_CHECK_INT(il_chain_place(s, IL_KIND_REGION, "9901", "LNK-T-1", false, "t"), IL_EINVAL);
	il_text_close(text);
	il_store_close(s);
}

static void test_classifier(void)
{
	struct il_store *s = fresh_store("classify");
	struct il_chain_classifier *c = NULL;
	struct il_chain_guess g[3];
	struct il_text *text = NULL;
	size_t n = 0;
	IL_CHECK_INT(il_text_open(IL_TEST_SRCDIR "/../data", 0, &text), IL_OK);
	IL_CHECK_INT(il_chain_classifier_open(text, s, &c), IL_OK);
	const char *q = "高功率光纤激光器的超快激光技术";
	IL_CHECK_INT(il_chain_classify_text(c, q, strlen(q), 3, g, &n), IL_OK);
	IL_CHECK(n >= 1);
	if (n) {
		IL_CHECK_STR(g[0].link, "LNK-T-2");
		IL_CHECK(g[0].confidence > 0 && g[0].confidence < 1);
	}
	/* English text reaches the Chinese profile through the glossary too */
	q = "refrigerated transport in the cold chain";
	IL_CHECK_INT(il_chain_classify_text(c, q, strlen(q), 3, g, &n), IL_OK);
	IL_CHECK(n >= 1 && strcmp(g[0].link, "LNK-T-4") == 0);
	/* query operators in a record's text are text */
	q = "-\"title: +";
	IL_CHECK_INT(il_chain_classify_text(c, q, strlen(q), 3, g, &n), IL_OK);
	IL_CHECK_INT(n, 0);
	/* confidence grows with the score and with closeness to the best */
	IL_CHECK(il_chain_confidence(20, 20) > il_chain_confidence(5, 5));
	IL_CHECK(il_chain_confidence(10, 20) < il_chain_confidence(20, 20));
	IL_CHECK(il_chain_confidence(0, 20) == 0);
	il_chain_classifier_close(c);
	il_text_close(text);
	il_store_close(s);
}

/* Every allocation of these calls can fail: each failure comes back as
 * IL_ENOMEM, and nothing leaks (the sanitizer build checks that). */
static void test_out_of_memory(void)
{
	struct il_store *s = fresh_store("nomem");
	struct il_import_stats st;
	struct il_buf b = IL_BUF_INIT;
	struct il_chain_gaps g;
	int rc = IL_ENOMEM, bad = 0;
	place_known(s);
	for (int step = 0; step < 6; step++) {
		unsigned long n;
		for (n = 1; n < 100000; n++) {
			il_alloc_fail_after(n);
			il_buf_reset(&b);
			switch (step) {
			case 0:
				rc = il_chain_gaps(s, "9901", NULL, &g);
				if (!rc)
					il_chain_gaps_release(&g);
				break;
			case 1:
				rc = il_chain_list_json(s, NULL, "99", true, &b);
				break;
			case 2:
				rc = il_chain_link_report_json(s, "9901", "LNK-T-1", 0, &b);
				break;
			case 3:
				rc = il_indicator_series_json(s, NULL, NULL, true, &b);
				break;
			case 4:
				rc = il_indicator_targets_json(s, NULL, &b);
				break;
			default:
				rc = il_chain_import(s, FIX "test-chain.json", false, NULL, &st);
			}
			il_alloc_fail_after(0);
			if (rc == IL_OK)
				break;
			if (rc != IL_ENOMEM && bad++ < 5)
				printf("# step %d, allocation %lu: %s\n", step, n, il_errname(rc));
		}
		IL_CHECK_INT(rc, IL_OK);
	}
	IL_CHECK_INT(bad, 0);
	il_buf_release(&b);
	il_store_close(s);
}

int main(void)
{
	IL_RUN(test_definition);
	IL_RUN(test_gap_classes);
	IL_RUN(test_gap_json);
	IL_RUN(test_placement);
	IL_RUN(test_classifier);
	IL_RUN(test_out_of_memory);
	IL_DONE();
}
