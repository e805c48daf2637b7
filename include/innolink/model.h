/*
 * innolink/model.h - entity kinds, their fields, records and validation.
 *
 * Every entity kind of the domain (region, organization, person, ...) is
 * described by a table of fields.  Import, export, the store, the JSON API
 * and the CLI are all driven by these tables, so a field added here reaches
 * every front end at once and the column headers that people type in Excel
 * (Chinese or English) are defined in exactly one place.
 *
 * A record holds the canonical text form of each field value: validation
 * (il_record_set) parses what a person wrote ("是", "2024/3/5", "1,200")
 * and stores the canonical form ("1", "2024-03-05", "1200"), so everything
 * downstream can compare and bind values without parsing them again.
 *
 * Depends on: base.
 */
#ifndef INNOLINK_MODEL_H
#define INNOLINK_MODEL_H

#include "base.h"

enum il_kind {
	IL_KIND_REGION,
	IL_KIND_ORGANIZATION,
	IL_KIND_PERSON,
	IL_KIND_ACHIEVEMENT,
	IL_KIND_DEMAND,
	IL_KIND_CHAIN,
	IL_KIND_LINK,
	IL_KIND_ASSIGNMENT,
	IL_KIND_MATCH,
	IL_KIND_DEAL,
	IL_KIND_EVENT,
	IL_KIND_INDICATOR,
	IL_KIND__COUNT
};

enum il_ftype {
	IL_FT_TEXT, /* free text, trimmed */
	IL_FT_INT, /* 64-bit integer, "1,200" and "1 200" accepted */
	IL_FT_REAL, /* decimal number */
	IL_FT_BOOL, /* 1/0 from yes/no/true/false/是/否/Y/N */
	IL_FT_DATE, /* YYYY-MM-DD from YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYY-MM, YYYY */
	IL_FT_ENUM, /* one of field->values (English code or Chinese label) */
	IL_FT_LIST, /* several texts; input split on ; ； , ， 、 | and newlines;
		       canonical form joins them with ";" */
	IL_FT_REF, /* the id of a record of kind field->ref */
};

enum il_field_flag {
	IL_FF_REQUIRED = 1u << 0,
	IL_FF_SEARCH = 1u << 1, /* free text that search and matching read */
	IL_FF_FILTER = 1u << 2, /* usable as an equality filter in list/export */
	IL_FF_INTERNAL = 1u << 3, /* written by the platform, not imported */
};

/* An enumeration value: canonical code, English and Chinese labels. */
struct il_enum_value {
	const char *code;
	const char *en;
	const char *zh;
};

struct il_field {
	const char *name; /* column name and English header: "name_zh" */
	const char *zh; /* Chinese header: "中文名称" */
	const char *aliases; /* more headers, '|'-separated: "名称|单位名称" */
	enum il_ftype type;
	unsigned flags; /* enum il_field_flag */
	enum il_kind ref; /* IL_FT_REF only */
	const struct il_enum_value *values; /* IL_FT_ENUM and enum lists; NULL-code terminated */
	int64_t min, max; /* IL_FT_INT bounds when min < max */
	const char *doc; /* one line for docs and --help */
};

struct il_kind_info {
	enum il_kind kind;
	const char *name; /* "organization": table, API path, --kind */
	const char *plural; /* "organizations" */
	const char *zh; /* "机构" */
	const char *id_prefix; /* "ORG": ids the platform makes are PREFIX-n */
	const struct il_field *fields;
	size_t nfields;
	int title_field; /* field shown as the record's title */
};

/* Borrowed, static. */
const struct il_kind_info *il_kind_info(enum il_kind kind);
/* Looks a kind up by name, plural or Chinese name; IL_ENOTFOUND if none. */
int il_kind_parse(const char *name, enum il_kind *out);
/* Index of the field with this name or header (English, Chinese or alias,
 * case- and width-insensitive); -1 if none. */
int il_field_find(const struct il_kind_info *k, const char *header);
/* Label of an enum code in the language ("en" or "zh"); the code if unknown. */
const char *il_enum_label(const struct il_field *f, const char *code, const char *lang);

/*
 * A record: the common columns plus one canonical value per field.
 * Values are NULL when empty.  All strings are owned by the record.
 */
struct il_record {
	enum il_kind kind;
	int64_t rowid; /* store's internal id; 0 before it is stored */
	char *id; /* the stable external id, the upsert key ("ORG-HUST") */
	int64_t version; /* 1 for a new record, +1 on each change */
	char *created_at; /* "YYYY-MM-DDTHH:MM:SSZ" */
	char *updated_at;
	char *source; /* provenance: "import:orgs.csv:12", "api:alice", "cli" */
	bool demo; /* bundled demonstration data, not a real listing */
	char **values; /* [info->nfields] */
};

/* Prepares an empty record of a kind. IL_ENOMEM. */
int il_record_init(struct il_record *r, enum il_kind kind);
void il_record_release(struct il_record *r);
/* Deep copy into an uninitialised `dst`. IL_ENOMEM. */
int il_record_copy(struct il_record *dst, const struct il_record *src);

/*
 * Parses `value` (len bytes, UTF-8) for field `field` and stores its
 * canonical form; an empty or all-blank value clears the field.  Returns
 * IL_EINVAL with a detail that names the field and the value when the value
 * does not fit the field's type, IL_ENOMEM.
 */
int il_record_set(struct il_record *r, size_t field, const char *value, size_t len);
/* Sets the common "id" column, validated (1-128 bytes, no control chars). */
int il_record_set_id(struct il_record *r, const char *id, size_t len);
/* Sets a common or field column by header; "id", "demo" and "source" are the
 * common ones.  IL_ENOTFOUND for an unknown header. */
int il_record_set_by_name(struct il_record *r, const char *header, const char *value, size_t len);
/* Borrowed value of a field by name, NULL when empty or unknown. */
const char *il_record_get(const struct il_record *r, const char *name);
/* Days since 1970-01-01 of a date "YYYY-MM-DD" (the date part of a
 * timestamp "YYYY-MM-DDTHH:MM:SSZ" too), or INT32_MIN when s is NULL or
 * not one. */
int32_t il_date_days(const char *s);
/*
 * The last day (days since 1970-01-01) an achievement or demand is live,
 * the one rule of freshness that trade (il_trade_is_live) and the index
 * share: its "expires" date; without one, `period_days` after it was
 * published (else after the day it was stored).  INT32_MAX when it never
 * expires: a record of another kind, period_days <= 0 without "expires",
 * or no date to count from.
 */
int32_t il_record_live_until(const struct il_record *r, int period_days);
/* Checks what one field cannot: required fields present.  IL_EINVAL naming
 * the first missing field. */
int il_record_validate(const struct il_record *r);
/* True when every field value and the demo flag are equal. */
bool il_record_same_values(const struct il_record *a, const struct il_record *b);
/*
 * Fills each empty field of `dst` from `src` and, for list fields, adds the
 * items of `src` that `dst` lacks: how a duplicate organization is merged
 * into the one already stored without losing anything either side knew.
 * Returns IL_OK or IL_ENOMEM; *changed tells whether `dst` changed.
 */
int il_record_merge(struct il_record *dst, const struct il_record *src, bool *changed);

/* Calls fn for each item of a canonical list value; stops on non-zero. */
int il_list_each(const char *list, int (*fn)(const char *item, size_t len, void *ctx), void *ctx);

/*
 * The key under which names are compared for de-duplication: NFKC, case
 * folded, with spaces and punctuation removed and "&" read as "and".
 * "Huazhong University of Science & Technology" and "huazhong university of
 * science and technology" share a key; "武汉钢铁股份有限公司" and
 * "武汉钢铁有限公司" do not (they are two companies), and the store treats
 * such pairs as near-duplicates for a person to decide.
 * Caller frees *out with free().  IL_EENCODING for invalid UTF-8, IL_ENOMEM.
 */
int il_name_key(const char *name, char **out);

enum il_json_flag {
	IL_JSON_META = 1u << 0, /* include version, created_at, updated_at, source */
	IL_JSON_LABELS = 1u << 1, /* add "<field>_label" with the enum label */
};

/*
 * Appends the record as one JSON object to `out`: "id", "entity" (the kind's
 * name; "kind" is a field of several kinds), "demo", then
 * each non-empty field typed by the field table (numbers, booleans, lists as
 * arrays, everything else strings).  `lang` ("zh"/"en") picks enum labels
 * with IL_JSON_LABELS.  IL_ENOMEM, IL_ETOOBIG (out's cap).
 */
int il_record_to_json(const struct il_record *r, unsigned flags, const char *lang,
		      struct il_buf *out);
/* Appends `s` (len bytes) as a JSON string literal with quotes. */
int il_json_string(struct il_buf *out, const char *s, size_t len);

#endif
