/*
 * registration.c - the export a technology-contract registration office
 * asks for (技术合同认定登记): one row per signed deal with the parties'
 * names and regions, the type in words, the amount, the dates and the
 * achievement it transfers.  The columns are documented in docs/trade.md
 * and tests/trade/test_trade.c checks the file against that list.
 */
#include "trade_internal.h"

#include <stdio.h>
#include <string.h>

enum reg_col {
	RC_CONTRACT_NO,
	RC_REGISTRATION_NO,
	RC_TITLE,
	RC_TYPE,
	RC_LICENCE,
	RC_BUYER,
	RC_BUYER_REGION,
	RC_SELLER,
	RC_SELLER_REGION,
	RC_AMOUNT,
	RC_CURRENCY,
	RC_SIGNED,
	RC_STARTS,
	RC_ENDS,
	RC_ACHIEVEMENT,
	RC_PATENT_NO,
	RC_STATE,
	RC_REGISTERED,
	RC__COUNT
};

static const struct il_trade_column columns[RC__COUNT] = {
	{"contract_no", "合同编号"},
	{"registration_no", "登记编号"},
	{"title", "合同名称"},
	{"type", "合同类别"},
	{"licence", "许可方式"},
	{"buyer", "买方(委托方/受让方)"},
	{"buyer_region", "买方所在地区"},
	{"seller", "卖方(受托方/出让方)"},
	{"seller_region", "卖方所在地区"},
	{"amount", "合同成交额(万元)"},
	{"currency", "币种"},
	{"signed", "签订日期"},
	{"starts", "履行起始日期"},
	{"ends", "履行截止日期"},
	{"achievement", "技术成果名称"},
	{"patent_no", "专利号"},
	{"state", "合同状态"},
	{"registered", "登记日期"},
};

const struct il_trade_column *il_trade_registration_columns(size_t *n)
{
	*n = RC__COUNT;
	return columns;
}

/* One row's values; the names looked up live in `names` until it is written. */
struct reg_row {
	const char *v[RC__COUNT];
	struct il_record party[3]; /* buyer, seller, achievement */
	bool loaded[3];
	char region[2][160];
};

struct reg_ctx {
	struct il_store *s;
	struct il_writer *w;
	const char *lang;
	size_t rows;
};

static const char *label(enum il_kind kind, const char *field, const char *code, const char *lang)
{
	const struct il_kind_info *k = il_kind_info(kind);
	if (!code)
		return NULL;
	return il_enum_label(&k->fields[il_field_find(k, field)], code, lang);
}

/* Loads a referenced record if the reference is set; a dangling one is left empty. */
static int load_ref(struct il_store *s, enum il_kind kind, const char *id, struct il_record *r,
		    bool *loaded)
{
	*loaded = false;
	if (!id)
		return IL_OK;
	int rc = il_store_get(s, kind, id, r);
	if (rc == IL_ENOTFOUND) {
		il_error_clear();
		return IL_OK;
	}
	*loaded = !rc;
	return rc;
}

static void region_name(struct il_store *s, const struct il_record *org, const char *lang,
			char *out, size_t size)
{
	struct il_record reg;
	bool loaded;
	const char *code = il_record_get(org, "region");
	out[0] = '\0';
	if (load_ref(s, IL_KIND_REGION, code, &reg, &loaded) || !loaded)
		return;
	const char *zh = il_record_get(&reg, "name_zh"), *en = il_record_get(&reg, "name_en");
	snprintf(out, size, "%s (%s)", strcmp(lang, "zh") == 0 || !en ? zh : en, code);
	il_record_release(&reg);
}

static const char *name_of(const struct il_record *r, bool loaded, const char *field,
			   const char *fallback)
{
	const char *name = loaded ? il_record_get(r, field) : NULL;
	return name ? name : fallback;
}

static int fill_row(struct reg_ctx *c, const struct il_record *d, struct reg_row *row)
{
	static const char *const refs[3] = {"buyer", "seller", "achievement"};
	static const enum il_kind ref_kinds[3] = {IL_KIND_ORGANIZATION, IL_KIND_ORGANIZATION,
						  IL_KIND_ACHIEVEMENT};
	int rc = IL_OK;
	for (size_t i = 0; i < 3 && !rc; i++)
		rc = load_ref(c->s, ref_kinds[i], il_record_get(d, refs[i]), &row->party[i],
			      &row->loaded[i]);
	if (rc)
		return rc;
	for (size_t i = 0; i < 2; i++)
		if (row->loaded[i])
			region_name(c->s, &row->party[i], c->lang, row->region[i],
				    sizeof(row->region[i]));
	const char *currency = il_record_get(d, "currency");
	row->v[RC_CONTRACT_NO] = d->id;
	row->v[RC_REGISTRATION_NO] = il_record_get(d, "registration_no");
	row->v[RC_TITLE] = il_record_get(d, "title");
	row->v[RC_TYPE] = label(IL_KIND_DEAL, "type", il_record_get(d, "type"), c->lang);
	row->v[RC_LICENCE] = label(IL_KIND_DEAL, "licence", il_record_get(d, "licence"), c->lang);
	row->v[RC_BUYER] =
		name_of(&row->party[0], row->loaded[0], "name_zh", il_record_get(d, "buyer"));
	row->v[RC_BUYER_REGION] = row->region[0];
	row->v[RC_SELLER] =
		name_of(&row->party[1], row->loaded[1], "name_zh", il_record_get(d, "seller"));
	row->v[RC_SELLER_REGION] = row->region[1];
	row->v[RC_AMOUNT] = il_record_get(d, "amount");
	row->v[RC_CURRENCY] = currency ? currency : "CNY";
	row->v[RC_SIGNED] = il_record_get(d, "signed");
	row->v[RC_STARTS] = il_record_get(d, "starts");
	row->v[RC_ENDS] = il_record_get(d, "ends");
	row->v[RC_ACHIEVEMENT] =
		name_of(&row->party[2], row->loaded[2], "title", il_record_get(d, "achievement"));
	row->v[RC_PATENT_NO] = row->loaded[2] ? il_record_get(&row->party[2], "patent_no") : NULL;
	row->v[RC_STATE] = label(IL_KIND_DEAL, "state", il_record_get(d, "state"), c->lang);
	row->v[RC_REGISTERED] = il_record_get(d, "registered");
	return IL_OK;
}

static bool was_signed(const struct il_record *d)
{
	enum il_deal_state st;
	const char *code = il_record_get(d, "state");
	if (!code || il_trade_deal_state_parse(code, &st)) {
		il_error_clear();
		return false;
	}
	return st >= IL_DEAL_SIGNED && st <= IL_DEAL_COMPLETED;
}

static int write_deal(const struct il_record *d, void *vctx)
{
	struct reg_ctx *c = vctx;
	struct reg_row row;
	if (!was_signed(d))
		return IL_OK;
	memset(&row, 0, sizeof(row));
	int rc = fill_row(c, d, &row);
	if (!rc)
		rc = il_writer_row(c->w, row.v);
	for (size_t i = 0; i < 3; i++)
		if (row.loaded[i])
			il_record_release(&row.party[i]);
	c->rows += !rc;
	return rc;
}

int il_trade_registration_export(struct il_store *s, const char *path, enum il_format fmt, bool zh,
				 size_t *rows)
{
	const char *headers[RC__COUNT];
	enum il_cell_type types[RC__COUNT];
	struct reg_ctx c = {s, NULL, zh ? "zh" : "en", 0};
	struct il_query q;
	for (size_t i = 0; i < RC__COUNT; i++) {
		headers[i] = zh ? columns[i].zh : columns[i].name;
		types[i] = i == RC_AMOUNT ? IL_CELL_NUMBER : IL_CELL_TEXT;
	}
	int rc = il_writer_open(path, fmt, NULL, zh ? "技术合同登记" : "registration", RC__COUNT,
				headers, types, &c.w);
	if (rc)
		return rc;
	il_query_init(&q, IL_KIND_DEAL);
	q.include_confidential = true;
	rc = il_store_list(s, &q, write_deal, &c, NULL);
	int crc = il_writer_close(c.w);
	if (rows)
		*rows = c.rows;
	return rc ? rc : crc;
}
