/*
 * test_record.c - field tables, value parsing and canonical forms, name keys,
 * JSON output, and allocation failures in the record layer.
 */
#include <innolink/model.h>

#include "test.h"

static enum il_kind K_ORG = IL_KIND_ORGANIZATION;

static int field(enum il_kind kind, const char *name)
{
	return il_field_find(il_kind_info(kind), name);
}

/* Sets one field from text and returns the code; *out gets the canonical value. */
static int set(enum il_kind kind, const char *name, const char *value, char *out, size_t outlen)
{
	struct il_record r;
	int rc = il_record_init(&r, kind);
	if (rc)
		return rc;
	int f = field(kind, name);
	rc = f < 0 ? IL_ENOTFOUND : il_record_set(&r, (size_t)f, value, strlen(value));
	snprintf(out, outlen, "%s", rc == IL_OK && r.values[f] ? r.values[f] : "(null)");
	il_record_release(&r);
	return rc;
}

static void test_headers_are_unambiguous(void)
{
	/* every header a field declares finds that very field, so an exported
	 * file's Chinese headers import back into the same columns */
	for (int k = 0; k < IL_KIND__COUNT; k++) {
		const struct il_kind_info *ki = il_kind_info((enum il_kind)k);
		IL_CHECK(ki->title_field >= 0 && (size_t)ki->title_field < ki->nfields);
		for (size_t i = 0; i < ki->nfields; i++) {
			IL_CHECK_INT(il_field_find(ki, ki->fields[i].name), i);
			if (il_field_find(ki, ki->fields[i].zh) != (int)i)
				printf("# %s: header %s finds field %d, not %zu\n", ki->name,
				       ki->fields[i].zh, il_field_find(ki, ki->fields[i].zh), i);
			IL_CHECK_INT(il_field_find(ki, ki->fields[i].zh), i);
		}
	}
	IL_CHECK_INT(field(IL_KIND_ORGANIZATION, "企业名称"),
		     field(IL_KIND_ORGANIZATION, "name_zh"));
	IL_CHECK_INT(field(IL_KIND_ORGANIZATION, "Name ZH"),
		     field(IL_KIND_ORGANIZATION, "name_zh"));
	IL_CHECK_INT(field(IL_KIND_ORGANIZATION, "ＮＡＭＥ＿ＺＨ"),
		     field(IL_KIND_ORGANIZATION, "name_zh"));
	IL_CHECK_INT(field(IL_KIND_ORGANIZATION, "no such column"), -1);
}

static void test_kind_parse(void)
{
	enum il_kind k;
	IL_CHECK_INT(il_kind_parse("organizations", &k), IL_OK);
	IL_CHECK_INT(k, IL_KIND_ORGANIZATION);
	IL_CHECK_INT(il_kind_parse("技术需求", &k), IL_OK);
	IL_CHECK_INT(k, IL_KIND_DEMAND);
	IL_CHECK_INT(il_kind_parse("Achievement", &k), IL_OK);
	IL_CHECK_INT(k, IL_KIND_ACHIEVEMENT);
	IL_CHECK_INT(il_kind_parse("widgets", &k), IL_ENOTFOUND);
	IL_CHECK_CONTAINS(il_error_detail(IL_ENOTFOUND), "widgets");
}

static void test_canonical_values(void)
{
	char v[256];
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "trl", " 7 ", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "7");
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "trl", "7.0", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "7");
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "asking_price", "1,200.50", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "1200.5");
	/* whole numbers are written as "%.15g" writes them, below 10^15 and above */
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "asking_price", "300.00", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "300");
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "asking_price", "-0", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "0");
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "asking_price", "-42", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "-42");
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "asking_price", "999999999999999", v, sizeof(v)),
		     IL_OK);
	IL_CHECK_STR(v, "999999999999999");
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "asking_price", "1000000000000000", v, sizeof(v)),
		     IL_OK);
	IL_CHECK_STR(v, "1e+15");
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "asking_price", "0.1", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "0.1");
	IL_CHECK_INT(set(IL_KIND_LINK, "position", "-9223372036854775808", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "-9223372036854775808");
	IL_CHECK_INT(set(IL_KIND_LINK, "position", "1,024", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "1024");
	IL_CHECK_INT(set(IL_KIND_LINK, "position", "0", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "0");
	IL_CHECK_INT(set(K_ORG, "founded", "0999-01-01", v, sizeof(v)), IL_EINVAL);
	IL_CHECK_INT(set(K_ORG, "founded", "9999-12-31", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "9999-12-31");
	IL_CHECK_INT(set(K_ORG, "high_tech", "是", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "1");
	IL_CHECK_INT(set(K_ORG, "high_tech", "No", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "0");
	IL_CHECK_INT(set(K_ORG, "founded", "2003年5月8日", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "2003-05-08");
	IL_CHECK_INT(set(K_ORG, "founded", "2003/5/8", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "2003-05-08");
	IL_CHECK_INT(set(K_ORG, "founded", "1998", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "1998-01-01");
	IL_CHECK_INT(set(K_ORG, "founded", "2024-02-29T10:00:00", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "2024-02-29");
	IL_CHECK_INT(set(K_ORG, "kind", "高校", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "university");
	IL_CHECK_INT(set(K_ORG, "kind", "Service Agency", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "agency");
	IL_CHECK_INT(set(K_ORG, "aliases", " HUST；华科、 华中理工大学 ;HUST", v, sizeof(v)),
		     IL_OK);
	IL_CHECK_STR(v, "HUST;华科;华中理工大学");
	/* an ASCII comma is part of a name, not a separator */
	IL_CHECK_INT(set(K_ORG, "aliases", "Sinopec Petroleum Machinery Co., Ltd.", v, sizeof(v)),
		     IL_OK);
	IL_CHECK_STR(v, "Sinopec Petroleum Machinery Co., Ltd.");
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "transfer_modes", "技术转让，licence", v, sizeof(v)),
		     IL_OK);
	IL_CHECK_STR(v, "transfer;licence");
	IL_CHECK_INT(set(K_ORG, "name_zh", "\xe3\x80\x80长江大学 \xc2\xa0", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "长江大学");
	IL_CHECK_INT(set(K_ORG, "name_zh", "   ", v, sizeof(v)), IL_OK);
	IL_CHECK_STR(v, "(null)");
}

static void test_bad_values_name_field_and_value(void)
{
	char v[64];
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "trl", "12", v, sizeof(v)), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "field 'trl'");
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "'12'");
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "1..9");
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "trl", "high", v, sizeof(v)), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "not a whole number");
	IL_CHECK_INT(set(K_ORG, "founded", "2023-02-29", v, sizeof(v)), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "not a valid calendar date");
	IL_CHECK_INT(set(K_ORG, "founded", "2024-13-01", v, sizeof(v)), IL_EINVAL);
	IL_CHECK_INT(set(K_ORG, "founded", "next year", v, sizeof(v)), IL_EINVAL);
	IL_CHECK_INT(set(K_ORG, "kind", "bakery", v, sizeof(v)), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "'bakery' is not one of enterprise (企业)");
	IL_CHECK_INT(set(K_ORG, "high_tech", "maybe", v, sizeof(v)), IL_EINVAL);
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "asking_price", "nan", v, sizeof(v)), IL_EINVAL);
	IL_CHECK_INT(set(IL_KIND_ACHIEVEMENT, "asking_price", "1e999", v, sizeof(v)), IL_EINVAL);
	IL_CHECK_INT(set(K_ORG, "name_zh", "bad \xff byte", v, sizeof(v)), IL_EENCODING);
	IL_CHECK_CONTAINS(il_error_detail(IL_EENCODING), "byte 4");
	IL_CHECK_INT(set(K_ORG, "name_zh", "overlong \xc0\xaf", v, sizeof(v)), IL_EENCODING);
	IL_CHECK_INT(set(K_ORG, "name_zh", "surrogate \xed\xa0\x80", v, sizeof(v)), IL_EENCODING);
	IL_CHECK_INT(set(K_ORG, "name_zh", "bell \a", v, sizeof(v)), IL_EINVAL);
}

static void test_required_and_id(void)
{
	struct il_record r;
	IL_CHECK_INT(il_record_init(&r, K_ORG), IL_OK);
	IL_CHECK_INT(il_record_validate(&r), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "'id'");
	IL_CHECK_INT(il_record_set_id(&r, "ORG/1", 5), IL_EINVAL);
	IL_CHECK_INT(il_record_set_by_name(&r, "编号", " ORG-1 ", 7), IL_OK);
	IL_CHECK_STR(r.id, "ORG-1");
	IL_CHECK_INT(il_record_validate(&r), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "name_zh");
	IL_CHECK_INT(il_record_set_by_name(&r, "单位名称", "长江大学", strlen("长江大学")), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&r, "类型", "高校", strlen("高校")), IL_OK);
	IL_CHECK_INT(il_record_validate(&r), IL_OK);
	IL_CHECK_INT(il_record_set_by_name(&r, "演示数据", "是", strlen("是")), IL_OK);
	IL_CHECK(r.demo);
	IL_CHECK_INT(il_record_set_by_name(&r, "colour", "red", 3), IL_ENOTFOUND);
	il_record_release(&r);
}

static void test_merge_keeps_everything(void)
{
	struct il_record a, b;
	bool changed;
	il_record_init(&a, K_ORG);
	il_record_init(&b, K_ORG);
	il_record_set_by_name(&a, "name_zh", "华中科技大学", strlen("华中科技大学"));
	il_record_set_by_name(&a, "aliases", "HUST", 4);
	il_record_set_by_name(&b, "name_zh", "华中科技大学", strlen("华中科技大学"));
	il_record_set_by_name(&b, "aliases", "华科;HUST", strlen("华科;HUST"));
	il_record_set_by_name(&b, "website", "www.hust.edu.cn", 15);
	IL_CHECK_INT(il_record_merge(&a, &b, &changed), IL_OK);
	IL_CHECK(changed);
	IL_CHECK_STR(il_record_get(&a, "aliases"), "HUST;华科");
	IL_CHECK_STR(il_record_get(&a, "website"), "www.hust.edu.cn");
	IL_CHECK_INT(il_record_merge(&a, &b, &changed), IL_OK);
	IL_CHECK(!changed);
	IL_CHECK(!il_record_same_values(&a, &b));
	il_record_release(&a);
	il_record_release(&b);
}

static void check_key(const char *a, const char *b, bool same)
{
	char *ka, *kb;
	IL_CHECK_INT(il_name_key(a, &ka), IL_OK);
	IL_CHECK_INT(il_name_key(b, &kb), IL_OK);
	if ((strcmp(ka, kb) == 0) != same)
		printf("# keys of '%s' (%s) and '%s' (%s) should %sbe equal\n", a, ka, b, kb,
		       same ? "" : "not ");
	IL_CHECK((strcmp(ka, kb) == 0) == same);
	free(ka);
	free(kb);
}

static void test_name_keys(void)
{
	check_key("Huazhong University of Science & Technology",
		  "huazhong university of science and technology", true);
	check_key("Sinopec Petroleum Machinery Co., Ltd.", "SINOPEC  Petroleum-Machinery Co Ltd",
		  true);
	/* a legal form is part of who a company is */
	check_key("武汉钢铁股份有限公司", "武汉钢铁有限公司", false);
	check_key("ＨＵＳＴ", "hust", true);
	check_key("华中科技大学", "华中农业大学", false);
	check_key("长江大学", "长江大学文理学院", false);
	char *k;
	IL_CHECK_INT(il_name_key("bad \xff", &k), IL_EENCODING);
}

static void test_json(void)
{
	struct il_record r;
	struct il_buf b = IL_BUF_INIT;
	il_record_init(&r, IL_KIND_ACHIEVEMENT);
	il_record_set_id(&r, "ACH-1", 5);
	il_record_set_by_name(&r, "title", "a \"quoted\"\ttitle", strlen("a \"quoted\"\ttitle"));
	il_record_set_by_name(&r, "trl", "6", 1);
	il_record_set_by_name(&r, "keywords", "涂层;plunger", strlen("涂层;plunger"));
	il_record_set_by_name(&r, "kind", "工艺技术", strlen("工艺技术"));
	IL_CHECK_INT(il_record_to_json(&r, IL_JSON_LABELS, "zh", &b), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&b),
		     "{\"id\":\"ACH-1\",\"entity\":\"achievement\",\"demo\":false,"
		     "\"title\":\"a \\\"quoted\\\"\\ttitle\",\"keywords\":[\"涂层\",\"plunger\"],"
		     "\"kind\":\"process\",\"kind_label\":\"工艺技术\",\"trl\":6}");
	il_buf_release(&b);
	il_record_release(&r);
}

static void test_allocation_failures(void)
{
	/* every allocation of parsing a list and copying a record may fail:
	 * each failure must come back as IL_ENOMEM, never a crash or a leak */
	for (unsigned long n = 1;; n++) {
		struct il_record r, c;
		il_alloc_fail_after(n);
		int rc = il_record_init(&r, K_ORG);
		if (!rc)
			rc = il_record_set_by_name(&r, "aliases", "a;b;c", 5);
		if (!rc)
			rc = il_record_set_id(&r, "X", 1);
		if (!rc) {
			rc = il_record_copy(&c, &r);
			if (!rc)
				il_record_release(&c);
		}
		if (r.values)
			il_record_release(&r);
		il_alloc_fail_after(0);
		if (rc == IL_OK)
			break;
		IL_CHECK_INT(rc, IL_ENOMEM);
		if (n > 100) {
			printf("# the allocation loop did not finish\n");
			IL_CHECK(n <= 100);
			break;
		}
	}
}

int main(void)
{
	IL_RUN(test_headers_are_unambiguous);
	IL_RUN(test_kind_parse);
	IL_RUN(test_canonical_values);
	IL_RUN(test_bad_values_name_field_and_value);
	IL_RUN(test_required_and_id);
	IL_RUN(test_merge_keeps_everything);
	IL_RUN(test_name_keys);
	IL_RUN(test_json);
	IL_RUN(test_allocation_failures);
	IL_DONE();
}
