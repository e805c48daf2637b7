/*
 * kinds.c - the field tables of every entity kind.
 *
 * These tables are the one definition of what each kind holds.  The store's
 * schema (migrations in src/store/) must have a column for every field here;
 * tests/store/test_schema.c checks that it does, so the two cannot drift.
 * Fields are only ever appended: exports of older versions stay importable.
 */
#include "model_internal.h"

#include <string.h>

static const struct il_enum_value region_levels[] = {
	{"province", "province", "省"},
	{"city", "city", "市"},
	{"district", "district/county", "区县"},
	{"park", "park/zone", "园区"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value org_kinds[] = {
	{"enterprise", "enterprise", "企业"},
	{"university", "university", "高校"},
	{"institute", "research institute", "科研院所"},
	{"lab", "national/key laboratory", "重点实验室"},
	{"rnd", "new R&D institution", "新型研发机构"},
	{"agency", "service agency", "服务机构"},
	{"investor", "investor", "投资机构"},
	{"park", "industrial park", "产业园区"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value org_sizes[] = {
	{"micro", "micro", "微型"}, {"small", "small", "小型"}, {"medium", "medium", "中型"},
	{"large", "large", "大型"}, {NULL, NULL, NULL},
};

static const struct il_enum_value lab_levels[] = {
	{"national", "national laboratory", "国家实验室"},
	{"state_key", "state key laboratory", "国家重点实验室"},
	{"provincial", "provincial key laboratory", "省重点实验室"},
	{"engineering", "engineering (technology) research centre", "工程技术研究中心"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value person_kinds[] = {
	{"expert", "expert", "专家"},
	{"talent", "talent", "人才"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value availability[] = {
	{"available", "available", "可对接"},
	{"limited", "limited", "有限"},
	{"unavailable", "unavailable", "暂不可"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value ach_kinds[] = {
	{"patent", "patent", "专利"},
	{"result", "research result", "科研成果"},
	{"software", "software", "软件"},
	{"process", "process/know-how", "工艺技术"},
	{"product", "new product", "新产品"},
	{"variety", "new plant variety", "新品种"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value ip_statuses[] = {
	{"granted", "patent granted", "已授权专利"},
	{"pending", "patent pending", "专利申请中"},
	{"copyright", "software copyright", "软件著作权"},
	{"knowhow", "know-how (trade secret)", "技术秘密"},
	{"none", "no IP protection", "无"},
	{NULL, NULL, NULL},
};

/* Shared by achievements (offered modes), demands (accepted modes), deals. */
static const struct il_enum_value coop_modes[] = {
	{"transfer", "technology transfer", "技术转让"},
	{"licence", "licence", "许可使用"},
	{"joint", "joint development", "合作开发"},
	{"service", "technical service", "技术服务"},
	{"consulting", "technical consulting", "技术咨询"},
	{"equity", "equity investment", "作价入股"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value visibility[] = {
	{"public", "public", "公开"},
	{"confidential", "confidential", "保密"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value demand_statuses[] = {
	{"new", "new", "新发布"},
	{"assigned", "assigned", "已分派"},
	{"docking", "in docking", "对接中"},
	{"agreed", "agreed", "已达成"},
	{"success", "closed: success", "成功"},
	{"abandoned", "closed: abandoned", "已放弃"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value segments[] = {
	{"upstream", "upstream", "上游"},
	{"midstream", "midstream", "中游"},
	{"downstream", "downstream", "下游"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value assign_sources[] = {
	{"rule", "rule", "规则"},
	{"classifier", "classifier", "分类器"},
	{"manual", "manual", "人工"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value match_states[] = {
	{"new", "new", "新"},
	{"viewed", "viewed", "已查看"},
	{"contacted", "contacted", "已联系"},
	{"useful", "useful", "有用"},
	{"not_useful", "not useful", "无用"},
	{"accepted", "accepted", "已接受"},
	{"rejected", "rejected", "已拒绝"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value deal_states[] = {
	{"intent", "intent", "意向"},
	{"negotiation", "negotiation", "洽谈"},
	{"signed", "signed", "已签约"},
	{"registered", "registered", "已登记"},
	{"performance", "in performance", "履行中"},
	{"completed", "completed", "已完成"},
	{"terminated", "terminated", "已终止"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value licence_kinds[] = {
	{"exclusive", "exclusive licence", "独占许可"},
	{"sole", "sole licence", "排他许可"},
	{"non_exclusive", "non-exclusive licence", "普通许可"},
	{NULL, NULL, NULL},
};

static const struct il_enum_value event_kinds[] = {
	{"matchmaking", "matchmaking meeting", "对接会"},
	{"roadshow", "roadshow", "路演"},
	{"expert_visit", "expert service visit", "专家服务行"},
	{"training", "training", "培训"},
	{NULL, NULL, NULL},
};

#define F(name, zh, aliases, type, flags, doc)                                                     \
	{                                                                                          \
		name, zh, aliases, type, flags, IL_KIND_REGION, NULL, 0, 0, doc                    \
	}
#define FE(name, zh, aliases, type, flags, values, doc)                                            \
	{                                                                                          \
		name, zh, aliases, type, flags, IL_KIND_REGION, values, 0, 0, doc                  \
	}
#define FR(name, zh, aliases, flags, ref, doc)                                                     \
	{                                                                                          \
		name, zh, aliases, IL_FT_REF, flags, ref, NULL, 0, 0, doc                          \
	}
#define FI(name, zh, aliases, flags, min, max, doc)                                                \
	{                                                                                          \
		name, zh, aliases, IL_FT_INT, flags, IL_KIND_REGION, NULL, min, max, doc           \
	}

static const struct il_field region_fields[] = {
	F("name_zh", "名称", "中文名称|地区名称", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_SEARCH,
	  "Chinese name"),
	F("name_en", "英文名称", "name", IL_FT_TEXT, IL_FF_SEARCH, "English name"),
	FE("level", "级别", "层级", IL_FT_ENUM, IL_FF_REQUIRED | IL_FF_FILTER, region_levels,
	   "province, city, district or park"),
	FR("parent", "上级地区", "上级|parent_code", IL_FF_FILTER, IL_KIND_REGION,
	   "id of the enclosing region"),
	F("description", "简介", "介绍", IL_FT_TEXT, IL_FF_SEARCH,
	  "what the region or park is known for"),
};

static const struct il_field org_fields[] = {
	F("name_zh", "名称", "中文名称|单位名称|企业名称|机构名称", IL_FT_TEXT,
	  IL_FF_REQUIRED | IL_FF_SEARCH, "Chinese name"),
	F("name_en", "英文名称", "name|english_name", IL_FT_TEXT, IL_FF_SEARCH, "English name"),
	F("aliases", "别名", "简称|曾用名", IL_FT_LIST, IL_FF_SEARCH,
	  "other names and abbreviations (HUST, 华科)"),
	FE("kind", "类型", "机构类型|单位类型", IL_FT_ENUM, IL_FF_REQUIRED | IL_FF_FILTER,
	   org_kinds, "enterprise, university, institute, lab, rnd, agency, investor or park"),
	FR("region", "所在地区", "地区|区划代码|所在地", IL_FF_FILTER, IL_KIND_REGION,
	   "region id (national division code)"),
	F("industry_codes", "行业代码", "所属行业|行业", IL_FT_LIST, IL_FF_FILTER,
	  "GB/T 4754-2017 or Shenwan industry codes"),
	F("high_tech", "高新技术企业", "是否高新", IL_FT_BOOL, IL_FF_FILTER,
	  "recognised high-tech enterprise"),
	FE("size", "规模", "企业规模", IL_FT_ENUM, 0, org_sizes, "micro, small, medium or large"),
	F("founded", "成立日期", "成立时间|成立年份", IL_FT_DATE, 0, "date of founding"),
	FE("lab_level", "实验室级别", "平台级别", IL_FT_ENUM, IL_FF_FILTER, lab_levels,
	   "for laboratories and research centres"),
	FR("parent_org", "上级单位", "依托单位|所属单位", 0, IL_KIND_ORGANIZATION,
	   "hosting university or group"),
	F("stock_code", "股票代码", "证券代码", IL_FT_TEXT, 0, "listed company's code"),
	F("website", "网址", "网站|主页", IL_FT_TEXT, 0, "web address"),
	F("description", "简介", "介绍|主营业务|研究方向", IL_FT_TEXT, IL_FF_SEARCH,
	  "main business or research directions"),
	F("products", "主要产品", "产品", IL_FT_LIST, IL_FF_SEARCH, "main products or services"),
};

static const struct il_field person_fields[] = {
	F("name_zh", "姓名", "中文姓名|专家姓名", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_SEARCH,
	  "name in Chinese (or as written)"),
	F("name_en", "英文姓名", "name|english_name", IL_FT_TEXT, IL_FF_SEARCH, "name in English"),
	FE("kind", "类别", "人员类别", IL_FT_ENUM, IL_FF_FILTER, person_kinds, "expert or talent"),
	FR("affiliation", "所在单位", "工作单位|单位", IL_FF_FILTER, IL_KIND_ORGANIZATION,
	   "organization id or exact name"),
	F("title", "职称", "职务|头衔", IL_FT_TEXT, 0, "professor, senior engineer, ..."),
	F("fields", "研究领域", "专业领域|领域", IL_FT_LIST, IL_FF_SEARCH, "fields of expertise"),
	F("keywords", "关键词", "技术专长", IL_FT_LIST, IL_FF_SEARCH, "technical keywords"),
	F("bio", "个人简介", "简介|简历", IL_FT_TEXT, IL_FF_SEARCH,
	  "short biography and main results"),
	FR("region", "所在地区", "地区", IL_FF_FILTER, IL_KIND_REGION, "region id"),
	FE("availability", "服务意向", "可对接", IL_FT_ENUM, IL_FF_FILTER, availability,
	   "available, limited or unavailable"),
	F("email", "邮箱", "电子邮箱|e-mail", IL_FT_TEXT, 0, "contact e-mail"),
};

static const struct il_field achievement_fields[] = {
	F("title", "成果名称", "名称|标题|项目名称", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_SEARCH,
	  "title"),
	F("abstract", "成果简介", "摘要|简介|技术简介", IL_FT_TEXT, IL_FF_SEARCH,
	  "what it is, what it solves, key figures"),
	F("keywords", "关键词", "", IL_FT_LIST, IL_FF_SEARCH, "keywords"),
	FE("kind", "成果类型", "类型", IL_FT_ENUM, IL_FF_FILTER, ach_kinds,
	   "patent, result, software, process, product or variety"),
	FR("owner", "所属单位", "完成单位|权利人|持有单位", IL_FF_FILTER, IL_KIND_ORGANIZATION,
	   "owning organization: id or exact name"),
	F("inventors", "完成人", "发明人|团队成员", IL_FT_LIST, IL_FF_SEARCH, "inventors or team"),
	FI("trl", "成熟度", "技术成熟度|TRL", IL_FF_FILTER, 1, 9, "technology readiness level 1-9"),
	FE("ip_status", "知识产权状态", "知识产权", IL_FT_ENUM, 0, ip_statuses,
	   "granted, pending, copyright, knowhow or none"),
	F("patent_no", "专利号", "申请号", IL_FT_TEXT, 0, "patent or application number"),
	FE("transfer_modes", "转化方式", "合作方式", IL_FT_LIST, IL_FF_FILTER, coop_modes,
	   "transfer, licence, joint, service, consulting, equity"),
	F("asking_price", "意向价格(万元)", "价格|转让价格|asking_price_wan", IL_FT_REAL, 0,
	  "asking price in 10,000 CNY (万元); empty means negotiable"),
	F("ipc", "IPC分类号", "分类号|ipc_codes", IL_FT_LIST, IL_FF_FILTER, "IPC classes"),
	F("industry_codes", "行业代码", "所属行业|应用行业", IL_FT_LIST, IL_FF_FILTER,
	  "GB/T 4754-2017 industry codes it applies to"),
	FR("region", "所在地区", "地区", IL_FF_FILTER, IL_KIND_REGION, "region id"),
	F("lang", "语言", "language", IL_FT_TEXT, 0, "zh or en: the language it is written in"),
	F("published", "发布日期", "发布时间|日期", IL_FT_DATE, IL_FF_FILTER, "date listed"),
	F("expires", "有效期至", "到期日期|expiry", IL_FT_DATE, IL_FF_FILTER,
	  "listed until this date unless its owner re-confirms it (innolink renew)"),
};

static const struct il_field demand_fields[] = {
	F("title", "需求名称", "名称|标题", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_SEARCH, "title"),
	F("description", "需求描述", "描述|需求内容|技术难题", IL_FT_TEXT, IL_FF_SEARCH,
	  "the problem, constraints and expected indicators"),
	F("keywords", "关键词", "", IL_FT_LIST, IL_FF_SEARCH, "keywords"),
	FR("owner", "发布单位", "需求单位|企业名称", IL_FF_FILTER, IL_KIND_ORGANIZATION,
	   "enterprise id or exact name"),
	F("budget", "预算(万元)", "预算|拟投入资金|budget_wan", IL_FT_REAL, 0,
	  "budget in 10,000 CNY (万元)"),
	F("deadline", "截止日期", "期限|完成时限", IL_FT_DATE, 0,
	  "date by which it must be solved"),
	FR("region", "所在地区", "地区", IL_FF_FILTER, IL_KIND_REGION, "region id"),
	FE("visibility", "公开程度", "是否公开|保密", IL_FT_ENUM, IL_FF_FILTER, visibility,
	   "public or confidential (seen only by its owner and operators)"),
	FI("trl_need", "期望成熟度", "成熟度要求", 0, 1, 9, "lowest acceptable TRL"),
	FE("cooperation", "合作方式", "", IL_FT_LIST, IL_FF_FILTER, coop_modes,
	   "accepted ways to cooperate"),
	F("industry_codes", "行业代码", "所属行业", IL_FT_LIST, IL_FF_FILTER, "industry codes"),
	FE("status", "状态", "对接状态", IL_FT_ENUM, IL_FF_FILTER, demand_statuses,
	   "docking state"),
	F("contact", "联系人", "", IL_FT_TEXT, 0, "contact person"),
	F("published", "发布日期", "发布时间|日期", IL_FT_DATE, IL_FF_FILTER, "date posted"),
	F("lang", "语言", "language", IL_FT_TEXT, 0, "zh or en"),
	F("expires", "有效期至", "到期日期|expiry", IL_FT_DATE, IL_FF_FILTER,
	  "listed until this date unless its owner re-confirms it (innolink renew)"),
};

static const struct il_field chain_fields[] = {
	F("name_zh", "产业链名称", "名称|中文名称", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_SEARCH,
	  "Chinese name"),
	F("name_en", "英文名称", "name", IL_FT_TEXT, IL_FF_SEARCH, "English name"),
	FR("region", "所在地区", "地区", IL_FF_FILTER, IL_KIND_REGION, "city that leads the chain"),
	F("description", "简介", "", IL_FT_TEXT, IL_FF_SEARCH, "scope of the chain"),
	F("industry_codes", "行业代码", "", IL_FT_LIST, 0, "industry codes of the whole chain"),
};

static const struct il_field link_fields[] = {
	FR("chain", "所属产业链", "产业链", IL_FF_REQUIRED | IL_FF_FILTER, IL_KIND_CHAIN,
	   "chain id"),
	FR("parent", "上级环节", "上级", IL_FF_FILTER, IL_KIND_LINK, "parent link for sub-links"),
	FE("segment", "环节位置", "上中下游|segment_position", IL_FT_ENUM,
	   IL_FF_REQUIRED | IL_FF_FILTER, segments, "upstream, midstream or downstream"),
	F("name_zh", "环节名称", "名称", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_SEARCH, "Chinese name"),
	F("name_en", "英文名称", "name", IL_FT_TEXT, IL_FF_SEARCH, "English name"),
	F("keywords", "关键词", "", IL_FT_LIST, IL_FF_SEARCH, "keywords in Chinese and English"),
	F("industry_codes", "行业代码", "国民经济行业代码", IL_FT_LIST, 0, "GB/T 4754-2017 codes"),
	F("sw_codes", "申万行业代码", "申万行业", IL_FT_LIST, 0, "Shenwan 2021 industry codes"),
	F("ipc", "IPC分类号", "分类号", IL_FT_LIST, 0, "IPC classes"),
	F("products", "典型产品", "产品", IL_FT_LIST, IL_FF_SEARCH, "typical products"),
	FI("position", "序号", "顺序", 0, 0, 0, "display order within the segment"),
	F("upstream_of", "下游环节", "供给", IL_FT_LIST, 0, "ids of links this one supplies"),
};

static const struct il_field assignment_fields[] = {
	F("entity_kind", "对象类型", "", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_FILTER,
	  "kind of the placed record"),
	F("entity", "对象编号", "", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_FILTER,
	  "id of the placed record"),
	FR("link", "产业链环节", "环节", IL_FF_REQUIRED | IL_FF_FILTER, IL_KIND_LINK, "link id"),
	FE("method", "来源", "方式", IL_FT_ENUM, IL_FF_REQUIRED | IL_FF_FILTER, assign_sources,
	   "rule, classifier or manual"),
	F("confidence", "置信度", "", IL_FT_REAL, 0, "0-1, for the classifier"),
};

static const struct il_field match_fields[] = {
	F("from_kind", "来源类型", "", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_FILTER,
	  "kind of the record matched from"),
	F("from_id", "来源编号", "", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_FILTER, "its id"),
	F("to_kind", "目标类型", "", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_FILTER,
	  "kind of the record matched to"),
	F("to_id", "目标编号", "", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_FILTER, "its id"),
	F("score", "得分", "", IL_FT_REAL, 0, "match score"),
	F("reasons", "匹配理由", "", IL_FT_TEXT, 0, "explanation, JSON"),
	FE("state", "状态", "反馈", IL_FT_ENUM, IL_FF_FILTER, match_states, "feedback state"),
	F("actor", "操作人", "", IL_FT_TEXT, 0, "who gave the feedback"),
};

static const struct il_field deal_fields[] = {
	F("title", "合同名称", "名称|项目名称", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_SEARCH, "title"),
	FE("type", "合同类型", "交易类型", IL_FT_ENUM, IL_FF_REQUIRED | IL_FF_FILTER, coop_modes,
	   "transfer, licence, joint, service or consulting"),
	FE("state", "状态", "", IL_FT_ENUM, IL_FF_FILTER, deal_states, "workflow state"),
	FR("buyer", "受让方", "委托方|需方", IL_FF_FILTER, IL_KIND_ORGANIZATION, "buying party"),
	FR("seller", "出让方", "受托方|供方", IL_FF_FILTER, IL_KIND_ORGANIZATION, "selling party"),
	FR("achievement", "关联成果", "成果", 0, IL_KIND_ACHIEVEMENT, "achievement it stems from"),
	FR("demand", "关联需求", "需求", 0, IL_KIND_DEMAND, "demand it answers"),
	F("amount", "合同金额(万元)", "金额|amount_wan", IL_FT_REAL, 0, "amount in 10,000 units"),
	F("currency", "币种", "", IL_FT_TEXT, 0, "ISO 4217, CNY when empty"),
	F("signed", "签订日期", "签约日期", IL_FT_DATE, IL_FF_FILTER, "date signed"),
	FR("region", "所在地区", "地区", IL_FF_FILTER, IL_KIND_REGION, "region of the buyer"),
	FE("licence", "许可方式", "许可类型", IL_FT_ENUM, IL_FF_FILTER, licence_kinds,
	   "for a licence: exclusive, sole or non_exclusive"),
	F("starts", "履行起始日期", "有效期起", IL_FT_DATE, 0, "performance period starts"),
	F("ends", "履行截止日期", "有效期止", IL_FT_DATE, 0, "performance period ends"),
	F("registration_no", "登记编号", "合同登记号", IL_FT_TEXT, 0,
	  "number the technology-contract registration office gave"),
	F("registered", "登记日期", "认定登记日期", IL_FT_DATE, IL_FF_FILTER, "date registered"),
	F("milestones", "付款节点", "付款计划", IL_FT_TEXT, 0,
	  "payment milestones as JSON: [{\"title\", \"due\", \"amount\", \"paid\"}]"),
};

static const struct il_field event_fields[] = {
	F("title", "活动名称", "名称", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_SEARCH, "title"),
	FE("kind", "活动类型", "类型", IL_FT_ENUM, IL_FF_FILTER, event_kinds,
	   "matchmaking, roadshow, expert_visit or training"),
	F("date", "日期", "时间|举办日期", IL_FT_DATE, IL_FF_FILTER, "date held"),
	F("place", "地点", "", IL_FT_TEXT, 0, "venue"),
	FR("region", "所在地区", "地区", IL_FF_FILTER, IL_KIND_REGION, "region id"),
	F("participants", "参与单位", "参加单位", IL_FT_LIST, IL_FF_SEARCH, "who took part"),
	F("outcomes", "活动成效", "成效", IL_FT_TEXT, IL_FF_SEARCH, "what came of it"),
};

static const struct il_field indicator_fields[] = {
	FR("region", "所在地区", "地区", IL_FF_REQUIRED | IL_FF_FILTER, IL_KIND_REGION,
	   "region id"),
	F("name", "指标", "指标代码|indicator", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_FILTER,
	  "indicator code: high_tech_enterprises, cluster_output, ..."),
	F("label_zh", "指标名称", "中文名称", IL_FT_TEXT, 0, "Chinese label"),
	F("label_en", "英文名称", "label", IL_FT_TEXT, 0, "English label"),
	F("period", "统计期", "年份|期间", IL_FT_TEXT, IL_FF_REQUIRED | IL_FF_FILTER,
	  "2023, 2023-Q4 or 2023-12"),
	F("value", "数值", "值", IL_FT_REAL, 0, "the figure"),
	F("target", "目标值", "目标", IL_FT_REAL, 0, "its target, where one is set"),
	F("unit", "单位", "", IL_FT_TEXT, 0, "unit: 家, 亿元, 人, %"),
	FR("chain", "产业链", "", IL_FF_FILTER, IL_KIND_CHAIN, "chain it belongs to, if any"),
	F("note", "来源说明", "出处|备注", IL_FT_TEXT, 0, "where the figure was published"),
};

#define KIND(k, name, plural, zh, prefix, fields, title)                                           \
	{                                                                                          \
		k, name, plural, zh, prefix, fields, sizeof(fields) / sizeof(fields[0]), title     \
	}

static const struct il_kind_info kinds[IL_KIND__COUNT] = {
	KIND(IL_KIND_REGION, "region", "regions", "地区", "REG", region_fields, 0),
	KIND(IL_KIND_ORGANIZATION, "organization", "organizations", "机构", "ORG", org_fields, 0),
	KIND(IL_KIND_PERSON, "person", "persons", "专家人才", "PER", person_fields, 0),
	KIND(IL_KIND_ACHIEVEMENT, "achievement", "achievements", "科技成果", "ACH",
	     achievement_fields, 0),
	KIND(IL_KIND_DEMAND, "demand", "demands", "技术需求", "DEM", demand_fields, 0),
	KIND(IL_KIND_CHAIN, "chain", "chains", "产业链", "CHN", chain_fields, 0),
	KIND(IL_KIND_LINK, "link", "links", "产业链环节", "LNK", link_fields, 3),
	KIND(IL_KIND_ASSIGNMENT, "assignment", "assignments", "环节归属", "ASG", assignment_fields,
	     1),
	KIND(IL_KIND_MATCH, "match", "matches", "匹配", "MAT", match_fields, 3),
	KIND(IL_KIND_DEAL, "deal", "deals", "技术合同", "DEA", deal_fields, 0),
	KIND(IL_KIND_EVENT, "event", "events", "活动", "EVT", event_fields, 0),
	KIND(IL_KIND_INDICATOR, "indicator", "indicators", "指标", "IND", indicator_fields, 1),
};

const struct il_kind_info *il_kind_info(enum il_kind kind)
{
	if ((unsigned)kind >= IL_KIND__COUNT)
		return NULL;
	return &kinds[kind];
}

int il_kind_parse(const char *name, enum il_kind *out)
{
	for (size_t i = 0; i < IL_KIND__COUNT; i++) {
		const struct il_kind_info *k = &kinds[i];
		if (il__ascii_caseeq(name, k->name) || il__ascii_caseeq(name, k->plural) ||
		    strcmp(name, k->zh) == 0) {
			*out = k->kind;
			return IL_OK;
		}
	}
	if (il__ascii_caseeq(name, "people") || il__ascii_caseeq(name, "expert") ||
	    il__ascii_caseeq(name, "experts") || il__ascii_caseeq(name, "org")) {
		*out = name[0] == 'o' || name[0] == 'O' ? IL_KIND_ORGANIZATION : IL_KIND_PERSON;
		return IL_OK;
	}
	return il_error_set(IL_ENOTFOUND, "unknown kind '%s'", name);
}
