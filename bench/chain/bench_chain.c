/*
 * bench_chain.c - how well the chain classifier places real companies.
 *
 * The labelled data: the A-share companies of ChainKnowledgeGraph with
 * their Shenwan 2021 industries (shared/data/chainkg).  The label is
 * hidden and predicted from the company's other data, its short and full
 * names (the only other text the data set holds).  Three measures:
 *
 *   links     the product's task: the bundled chains' links are ranked for
 *             the company (record against link documents, as
 *             il_chain_assign does); a guess is right when the link lists
 *             the company's Shenwan industry among its sw_codes.  Only
 *             companies whose industry some link lists are counted.
 *   reverse   the other direction on the same task: each link's profile
 *             is a query over an index of the companies, and a company's
 *             links are ranked by their share of that link's best score.
 *   shenwan   the classifier on the whole label set: one document per
 *             Shenwan level-3 industry (its name, its level-2 and level-1
 *             names), every labelled company ranked against all 346.
 *
 * Each has a peer that reads no text: always guessing the most frequent
 * labels.  Calibration: a logistic function of ln(1 + score) and score /
 * best is fitted on the even-numbered companies' top-3 link guesses and its
 * expected calibration error measured on the odd-numbered ones, beside
 * that of the coefficients built into il_chain_confidence.
 *
 * usage: bench_chain CHAINKG_DIR CHAINS_DIR DEMO_DIR DATA_DIR WORK_DB
 */
#include <innolink/chain.h>
#include <innolink/io.h>
#include <innolink/text.h>

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CO 6000
#define MAX_IND 600
#define MAX_LINKS 512
#define K 3

struct company {
	char code[16]; /* "600373" */
	char *text; /* short and full name */
	char ind[8]; /* Shenwan level-3 code, "" when unlabelled */
};

static struct company co[MAX_CO];
static size_t nco;
static char ind_code[MAX_IND][8], *ind_name[MAX_IND];
static size_t nind;
static char *link_id[MAX_LINKS], *link_sw[MAX_LINKS], *link_query[MAX_LINKS];
static size_t nlinks;

static void die(const char *what, int rc)
{
	fprintf(stderr, "bench_chain: %s: %s\n", what, il_error_detail(rc));
	exit(1);
}

static json_t *next_line(FILE *f)
{
	static char line[1 << 16];
	json_error_t err;
	while (fgets(line, sizeof(line), f)) {
		json_t *j = json_loads(line, 0, &err);
		if (j)
			return j;
	}
	return NULL;
}

static FILE *open_in(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "r"))) {
		fprintf(stderr, "bench_chain: cannot read %s\n", path);
		exit(1);
	}
	return f;
}

static const char *js(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static ptrdiff_t find_ind(const char *code)
{
	for (size_t i = 0; i < nind; i++)
		if (strcmp(ind_code[i], code) == 0)
			return (ptrdiff_t)i;
	return -1;
}

/* The labelled companies are those of company_industry.json (short name,
 * code, industry); company.json adds the full name of most of them, found
 * by code or else by short name. */
static void load_chainkg(const char *dir)
{
	static char full_code[MAX_CO][16], *full_short[MAX_CO], *full_name[MAX_CO];
	size_t nfull = 0;
	FILE *f = open_in(dir, "company.json");
	json_t *j;
	while ((j = next_line(f)) && nfull < MAX_CO) {
		snprintf(full_code[nfull], sizeof(full_code[0]), "%s", js(j, "code"));
		full_short[nfull] = strdup(js(j, "name"));
		full_name[nfull++] = strdup(js(j, "fullname"));
		json_decref(j);
	}
	fclose(f);
	f = open_in(dir, "company_industry.json");
	while ((j = next_line(f)) && nco < MAX_CO) {
		struct company *c = &co[nco++];
		const char *cc = js(j, "company_code"), *name = js(j, "company_name"), *full = "";
		snprintf(c->code, sizeof(c->code), "%.*s", (int)strcspn(cc, "."), cc);
		snprintf(c->ind, sizeof(c->ind), "%s", js(j, "industry_code"));
		for (size_t i = 0; i < nfull && !*full; i++)
			if (strcmp(full_code[i], c->code) == 0)
				full = full_name[i];
		for (size_t i = 0; i < nfull && !*full; i++)
			if (strcmp(full_short[i], name) == 0)
				full = full_name[i];
		size_t n = strlen(name) + strlen(full) + 2;
		c->text = malloc(n);
		snprintf(c->text, n, "%s %s", name, full);
		json_decref(j);
	}
	fclose(f);
	for (size_t i = 0; i < nfull; i++) {
		free(full_short[i]);
		free(full_name[i]);
	}
	f = open_in(dir, "industry.json");
	while ((j = next_line(f)) && nind < MAX_IND) {
		snprintf(ind_code[nind], sizeof(ind_code[0]), "%s", js(j, "code"));
		ind_name[nind++] = strdup(js(j, "name"));
		json_decref(j);
	}
	fclose(f);
}

static const char *ind_name_of(const char *code)
{
	ptrdiff_t i = find_ind(code);
	return i < 0 ? "" : ind_name[i];
}

/* A store holding the regions and the bundled chains. */
static struct il_store *make_store(const char *chains, const char *demo, const char *db)
{
	struct il_import_opts o;
	struct il_import_stats st;
	struct il_store *s;
	char path[4096];
	DIR *d;
	struct dirent *e;
	int rc;
	remove(db);
	if ((rc = il_store_open(db, IL_STORE_CREATE, &s)))
		die(db, rc);
	memset(&o, 0, sizeof(o));
	o.kind = IL_KIND_REGION;
	snprintf(path, sizeof(path), "%s/region.jsonl", demo);
	if ((rc = il_import_file(s, path, &o, &st)))
		die(path, rc);
	if (!(d = opendir(chains)))
		die(chains, il_error_set(IL_EIO, "cannot open"));
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", chains, e->d_name);
		if ((rc = il_chain_import(s, path, false, NULL, NULL)))
			die(path, rc);
	}
	closedir(d);
	return s;
}

static int on_link(const struct il_record *r, void *ctx)
{
	const char *f[] = {"name_zh", "name_en", "keywords", "products"};
	char q[4096] = "";
	(void)ctx;
	if (nlinks == MAX_LINKS)
		return IL_OK;
	for (size_t i = 0; i < 4; i++)
		if (il_record_get(r, f[i]))
			snprintf(q + strlen(q), sizeof(q) - strlen(q), "%s ",
				 il_record_get(r, f[i]));
	for (char *p = q; *p; p++)
		if (*p == '-' || *p == '+' || *p == '"' || *p == ':' || *p == ';')
			*p = ' ';
	link_id[nlinks] = strdup(r->id);
	link_sw[nlinks] = strdup(il_record_get(r, "sw_codes") ? il_record_get(r, "sw_codes") : "");
	link_query[nlinks++] = strdup(q);
	return IL_OK;
}

static bool link_has(size_t l, const char *ind)
{
	for (const char *p = link_sw[l]; *p;) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == strlen(ind) && memcmp(p, ind, n) == 0)
			return true;
		p = e ? e + 1 : p + n;
	}
	return false;
}

static ptrdiff_t link_index(const char *id)
{
	for (size_t i = 0; i < nlinks; i++)
		if (strcmp(link_id[i], id) == 0)
			return (ptrdiff_t)i;
	return -1;
}

static bool on_some_link(const char *ind)
{
	for (size_t l = 0; l < nlinks; l++)
		if (link_has(l, ind))
			return true;
	return false;
}

/* Calibration examples: features and whether the guess was right. */
struct example {
	double x1, x2;
	int y;
	bool train;
};
static struct example ex[MAX_CO * K];
static size_t nex;

static double sigmoid(double z)
{
	return 1.0 / (1.0 + exp(-z));
}

/* Logistic regression by Newton's method on the training examples. */
static void fit(double w[3])
{
	w[0] = w[1] = w[2] = 0;
	for (int it = 0; it < 50; it++) {
		double g[3] = {0}, h[3][3] = {{0}};
		for (size_t i = 0; i < nex; i++) {
			if (!ex[i].train)
				continue;
			double x[3] = {ex[i].x1, ex[i].x2, 1};
			double p = sigmoid(w[0] * x[0] + w[1] * x[1] + w[2]);
			for (int a = 0; a < 3; a++) {
				g[a] += (ex[i].y - p) * x[a];
				for (int b = 0; b < 3; b++)
					h[a][b] += p * (1 - p) * x[a] * x[b] + (a == b ? 1e-6 : 0);
			}
		}
		/* solve h d = g (3x3, Cramer) */
		double det = h[0][0] * (h[1][1] * h[2][2] - h[1][2] * h[2][1]) -
			     h[0][1] * (h[1][0] * h[2][2] - h[1][2] * h[2][0]) +
			     h[0][2] * (h[1][0] * h[2][1] - h[1][1] * h[2][0]);
		if (fabs(det) < 1e-12)
			break;
		double d[3];
		for (int c = 0; c < 3; c++) {
			double m[3][3];
			memcpy(m, h, sizeof(m));
			for (int r = 0; r < 3; r++)
				m[r][c] = g[r];
			d[c] = (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
				m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
				m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])) /
			       det;
		}
		for (int a = 0; a < 3; a++)
			w[a] += d[a];
	}
}

/* Expected calibration error over 10 equal-width bins, test examples. */
static double ece(const double *w)
{
	double conf[10] = {0}, acc[10] = {0}, n[10] = {0}, total = 0, e = 0;
	for (size_t i = 0; i < nex; i++) {
		if (ex[i].train)
			continue;
		double p =
			w ? sigmoid(w[0] * ex[i].x1 + w[1] * ex[i].x2 + w[2])
			  : il_chain_confidence(exp(ex[i].x1) - 1, (exp(ex[i].x1) - 1) / ex[i].x2);
		int b = p >= 1 ? 9 : (int)(p * 10);
		conf[b] += p;
		acc[b] += ex[i].y;
		n[b]++;
		total++;
	}
	for (int b = 0; b < 10; b++)
		if (n[b])
			e += n[b] / total * fabs(acc[b] / n[b] - conf[b] / n[b]);
	return e;
}

struct tally {
	size_t n, at1, at3;
};

static void print_row(const char *name, const struct tally *t, const struct tally *peer)
{
	printf("%-9s %6zu  %8.3f %8.3f   %8.3f %8.3f   %6.1fx %6.1fx\n", name, t->n,
	       (double)t->at1 / (double)t->n, (double)t->at3 / (double)t->n,
	       (double)peer->at1 / (double)peer->n, (double)peer->at3 / (double)peer->n,
	       peer->at1 ? (double)t->at1 / (double)peer->at1 : 0,
	       peer->at3 ? (double)t->at3 / (double)peer->at3 : 0);
}

/* Forward: each company against the link documents. */
static void eval_links(struct il_chain_classifier *cl, struct tally *t, struct tally *peer)
{
	size_t per_link[MAX_LINKS] = {0}, best[K] = {0};
	struct il_chain_guess g[K];
	size_t n;
	for (size_t i = 0; i < nco; i++) {
		if (!co[i].ind[0] || !on_some_link(co[i].ind))
			continue;
		for (size_t l = 0; l < nlinks; l++)
			per_link[l] += link_has(l, co[i].ind);
		t->n++;
		if (il_chain_classify_text(cl, co[i].text, strlen(co[i].text), K, g, &n))
			continue;
		for (size_t r = 0; r < n; r++) {
			ptrdiff_t l = link_index(g[r].link);
			bool ok = l >= 0 && link_has((size_t)l, co[i].ind);
			if (ok && r == 0)
				t->at1++;
			if (ok) {
				t->at3++;
				break;
			}
		}
		for (size_t r = 0; r < n; r++) {
			ptrdiff_t l = link_index(g[r].link);
			ex[nex].x1 = log1p(g[r].score);
			ex[nex].x2 = g[r].score / g[0].score;
			ex[nex].y = l >= 0 && link_has((size_t)l, co[i].ind);
			ex[nex++].train = t->n % 2 == 0;
		}
	}
	/* the peer: the K links that hold the most of these companies */
	for (size_t r = 0; r < K; r++)
		for (size_t l = 0; l < nlinks; l++) {
			bool taken = false;
			for (size_t q = 0; q < r; q++)
				taken |= best[q] == l;
			if (!taken && (per_link[l] > per_link[best[r]] || (best[r] == l && !r)))
				best[r] = l;
		}
	peer->n = t->n;
	for (size_t i = 0; i < nco; i++) {
		if (!co[i].ind[0] || !on_some_link(co[i].ind))
			continue;
		bool ok1 = link_has(best[0], co[i].ind), ok3 = false;
		for (size_t r = 0; r < K; r++)
			ok3 |= link_has(best[r], co[i].ind);
		peer->at1 += ok1;
		peer->at3 += ok3;
	}
}

/* Reverse: each link's profile against an index of the companies. */
static void eval_reverse(const struct il_text *text, struct tally *t)
{
	struct il_index *ix;
	float *score = calloc(nco * nlinks, sizeof(float)), *top = calloc(nlinks, sizeof(float));
	char id[32];
	int rc;
	if ((rc = il_index_open(text, NULL, &ix)))
		die("index", rc);
	for (size_t i = 0; i < nco; i++) {
		struct il_index_doc d;
		memset(&d, 0, sizeof(d));
		snprintf(id, sizeof(id), "%zu", i);
		d.kind = IL_KIND_ORGANIZATION;
		d.id = id;
		d.date = INT32_MIN;
		d.text[IL_IF_TITLE] = co[i].text;
		d.len[IL_IF_TITLE] = strlen(co[i].text);
		if ((rc = il_index_put(ix, &d)))
			die("index put", rc);
	}
	il_index_compact(ix);
	for (size_t l = 0; l < nlinks; l++) {
		struct il_arena a;
		struct il_index_query q;
		struct il_index_hit *hits;
		size_t nh;
		il_arena_init(&a, 1 << 16, 0);
		il_index_query_init(&q, link_query[l], strlen(link_query[l]));
		q.k = nco;
		if (!il_index_search(ix, &q, &a, &hits, &nh, NULL))
			for (size_t h = 0; h < nh; h++) {
				size_t i = (size_t)atol(hits[h].id);
				score[i * nlinks + l] = hits[h].score;
				if (hits[h].score > top[l])
					top[l] = hits[h].score;
			}
		il_arena_release(&a);
	}
	for (size_t i = 0; i < nco; i++) {
		if (!co[i].ind[0] || !on_some_link(co[i].ind))
			continue;
		size_t rank[K] = {0};
		float val[K] = {0};
		for (size_t l = 0; l < nlinks; l++) {
			float v = top[l] > 0 ? score[i * nlinks + l] / top[l] : 0;
			for (size_t r = 0; r < K; r++)
				if (v > val[r]) {
					memmove(&val[r + 1], &val[r], (K - r - 1) * sizeof(float));
					memmove(&rank[r + 1], &rank[r],
						(K - r - 1) * sizeof(size_t));
					val[r] = v;
					rank[r] = l;
					break;
				}
		}
		t->n++;
		for (size_t r = 0; r < K; r++)
			if (val[r] > 0 && link_has(rank[r], co[i].ind)) {
				t->at1 += r == 0;
				t->at3++;
				break;
			}
	}
	free(score);
	free(top);
	il_index_close(ix);
}

/* The whole Shenwan level-3 label set as the classifier's documents. */
static void eval_shenwan(const struct il_text *text, struct tally *t, struct tally *peer)
{
	struct il_chain_classifier *cl;
	size_t count[MAX_IND] = {0}, best[K] = {0};
	int rc;
	if ((rc = il_chain_classifier_new(text, &cl)))
		die("classifier", rc);
	for (size_t i = 0; i < nind; i++) {
		struct il_record r;
		char l2[8], l1[8], kw[256];
		if (strcmp(ind_code[i] + 4, "00") == 0)
			continue; /* level 1 and 2 are not labels */
		snprintf(l2, sizeof(l2), "%.4s00", ind_code[i]);
		snprintf(l1, sizeof(l1), "%.2s0000", ind_code[i]);
		snprintf(kw, sizeof(kw), "%s;%s", ind_name_of(l2), ind_name_of(l1));
		il_record_init(&r, IL_KIND_LINK);
		il_record_set_id(&r, ind_code[i], strlen(ind_code[i]));
		il_record_set_by_name(&r, "name_zh", ind_name[i], strlen(ind_name[i]));
		il_record_set_by_name(&r, "keywords", kw, strlen(kw));
		if ((rc = il_chain_classifier_add(cl, &r, ind_name_of(l1))))
			die("classifier add", rc);
		il_record_release(&r);
	}
	for (size_t i = 0; i < nco; i++) {
		struct il_chain_guess g[K];
		size_t n;
		ptrdiff_t k;
		if (!co[i].ind[0])
			continue;
		t->n++;
		if ((k = find_ind(co[i].ind)) >= 0)
			count[k]++;
		if (il_chain_classify_text(cl, co[i].text, strlen(co[i].text), K, g, &n))
			continue;
		for (size_t r = 0; r < n; r++)
			if (strcmp(g[r].link, co[i].ind) == 0) {
				t->at1 += r == 0;
				t->at3++;
				break;
			}
	}
	for (size_t r = 0; r < K; r++)
		for (size_t i = 0; i < nind; i++) {
			bool taken = false;
			for (size_t q = 0; q < r; q++)
				taken |= best[q] == i;
			if (!taken && count[i] > count[best[r]])
				best[r] = i;
		}
	peer->n = t->n;
	for (size_t i = 0; i < nco; i++) {
		if (!co[i].ind[0])
			continue;
		for (size_t r = 0; r < K; r++)
			if (strcmp(ind_code[best[r]], co[i].ind) == 0) {
				peer->at1 += r == 0;
				peer->at3++;
			}
	}
	il_chain_classifier_close(cl);
}

int main(int argc, char **argv)
{
	struct il_chain_classifier *cl;
	struct il_text *text;
	struct il_store *s;
	struct il_query q;
	struct tally fwd = {0}, fwd_peer = {0}, rev = {0}, sw = {0}, sw_peer = {0};
	double w[3];
	int rc;
	if (argc != 6) {
		fprintf(stderr,
			"usage: bench_chain CHAINKG_DIR CHAINS_DIR DEMO_DIR DATA_DIR WORK_DB\n");
		return 2;
	}
	load_chainkg(argv[1]);
	s = make_store(argv[2], argv[3], argv[5]);
	if ((rc = il_text_open(argv[4], 0, &text)))
		die("text", rc);
	il_query_init(&q, IL_KIND_LINK);
	il_store_list(s, &q, on_link, NULL, NULL);
	if ((rc = il_chain_classifier_open(text, s, &cl)))
		die("classifier", rc);
	eval_links(cl, &fwd, &fwd_peer);
	eval_reverse(text, &rev);
	eval_shenwan(text, &sw, &sw_peer);
	printf("%zu labelled companies; %zu bundled links; %zu Shenwan industries\n", sw.n, nlinks,
	       nind);
	printf("%-9s %6s  %8s %8s   %8s %8s   %7s %7s\n", "task", "n", "acc@1", "acc@3", "peer@1",
	       "peer@3", "x@1", "x@3");
	print_row("links", &fwd, &fwd_peer);
	print_row("reverse", &rev, &fwd_peer);
	print_row("shenwan", &sw, &sw_peer);
	printf("peer: always the most frequent labels (no text read)\n");
	fit(w);
	printf("calibration on the links task (%zu top-%d guesses, fitted on even, measured on "
	       "odd companies):\n",
	       nex, K);
	printf("  fitted: confidence = 1/(1+exp(-(%.2f ln(1+s) + %.2f s/best + %.2f)))\n", w[0],
	       w[1], w[2]);
	printf("  expected calibration error: built in %.3f, fitted %.3f\n", ece(NULL), ece(w));
	il_chain_classifier_close(cl);
	il_text_close(text);
	il_store_close(s);
	return 0;
}
