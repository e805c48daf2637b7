#!/usr/bin/env python3
"""Regenerate the base demo data of innolink.

Writes data/demo/{region,organization,indicator}.jsonl from the
reference data in /work/shared/data (division codes, the MoE university list,
the A-share company list with Shenwan industries, GB/T 4754-2017, IPC) and the
facts written out below, which come from the five news reports in
/work/shared/seeds and from public knowledge (see data/demo/SOURCES.md).

The chains and their links come from data/chains/*.json instead:
tools/chains/chains.py demo writes data/demo/{chain,link}.jsonl.

Usage: python3 tools/demo/build_base.py [--data DIR] [--out DIR]
Standard library only.
"""
import argparse
import csv
import json
import os
import re
import sys
from collections import OrderedDict, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "..", "data", "demo"))
DEFAULT_DATA = "/work/shared/data"

# --------------------------------------------------------------------------
# Sources of the seed facts (cited in notes and descriptions)
# --------------------------------------------------------------------------
SRC_JZ_2022 = ("Jingzhou Municipal People's Government, 'Wu Jin accepts interview with "
               "Hubei Daily', 2022-06-21")
SRC_XN_2020 = ("Xianning government (xianning.gov.cn), 'Research activity on the construction "
               "of \"Innovation China\" pilot cities held in Xianning', 2020-11-06")
SRC_JM_2018 = "Jingchu report 'Hubei Jingmen industrial cluster development visit', 2018"
SRC_JZ_2019 = ("Jingzhou Municipal People's Government, 'Key Proposal Tracking: Take Multiple "
               "Measures to Promote the High-quality Development of Jingzhou Petroleum "
               "Technology City', 2019-12-02")
SRC_HB_2024 = ("Hubei governor Wang Zhonglin at the Hubei delegation's panel discussion, "
               "2nd session of the 14th NPC (report dated 2024-03-07)")

# --------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------
CITY_EN = {
    "4201": "Wuhan", "4202": "Huangshi", "4203": "Shiyan", "4205": "Yichang",
    "4206": "Xiangyang", "4207": "Ezhou", "4208": "Jingmen", "4209": "Xiaogan",
    "4210": "Jingzhou", "4211": "Huanggang", "4212": "Xianning", "4213": "Suizhou",
    "4228": "Enshi Tujia and Miao Autonomous Prefecture",
    "429004": "Xiantao", "429005": "Qianjiang", "429006": "Tianmen",
    "429021": "Shennongjia Forestry District",
}
DISTRICT_EN = {
    "420102": "Jiang'an District", "420103": "Jianghan District", "420104": "Qiaokou District",
    "420105": "Hanyang District", "420106": "Wuchang District", "420107": "Qingshan District",
    "420111": "Hongshan District", "420112": "Dongxihu District", "420113": "Hannan District",
    "420114": "Caidian District", "420115": "Jiangxia District", "420116": "Huangpi District",
    "420117": "Xinzhou District",
    "420802": "Dongbao District", "420804": "Duodao District", "420822": "Shayang County",
    "420881": "Zhongxiang", "420882": "Jingshan",
    "421002": "Shashi District", "421003": "Jingzhou District", "421022": "Gong'an County",
    "421024": "Jiangling County", "421081": "Shishou", "421083": "Honghu",
    "421087": "Songzi", "421088": "Jianli",
    "421202": "Xian'an District", "421221": "Jiayu County", "421222": "Tongcheng County",
    "421223": "Chongyang County", "421224": "Tongshan County", "421281": "Chibi",
}
PILOT_CITIES = ["4201", "4208", "4210", "4212"]
# Statistical codes in areas.csv that are development zones, not districts;
# they are represented as parks instead.
ZONE_CODES = {"421071": "P-JZETDZ"}

CITY_DESC = {
    "4201": ("Provincial capital of Hubei, leading the province as a national hub for science "
             "and technology innovation; in 2024 reported to have 1 national laboratory, "
             "10 state laboratories, 8 major science and technology facilities, 163 national "
             "key laboratories and 477 new R&D institutions (" + SRC_HB_2024 + ")."),
    "4210": ("Aims to build a high-quality development demonstration area in the Jianghan "
             "Plain; focuses on 11 key industrial chains such as smart household appliances, "
             "auto parts and petrochemical equipment (2022); builds Jingzhou Petroleum "
             "Technology City around petroleum machinery, oilfield chemistry and smart oil "
             "services together with Yangtze University (2019)."),
    "4208": ("Positioned as a central city of the Jianghan Plain; built 20 industrial parks "
             "around seven leading industries: equipment manufacturing, new energy and new "
             "materials, chemical industry, deep processing of agricultural products, "
             "electronic information, renewable resources utilization and manufacturing, and "
             "great health (2018). Pursues the 'China Agricultural Valley' and 'Bupleurum "
             "revitalization' strategies."),
    "4212": ("Selected in 2020 as one of the first batch of 22 'Innovation China' pilot cities "
             "(parks) of the China Association for Science and Technology; hosted the "
             "south-area on-site exchange of the pilot cities in November 2020."),
}

PARKS = [
    # id, name_zh, name_en, parent, description
    ("P-EHTZ", "武汉东湖新技术开发区", "Wuhan East Lake High-tech Development Zone", "4201",
     "Known as 中国光谷 (Optics Valley of China). National high-tech industrial development "
     "zone (1991) and national independent innovation demonstration zone (2009); centre of "
     "Wuhan's optical fibre, optoelectronics and laser industries.", ["中国光谷", "光谷",
                                                                     "Optics Valley of China",
                                                                     "东湖高新区"]),
    ("P-WHETDZ", "武汉经济技术开发区", "Wuhan Economic and Technological Development Zone",
     "4201", "National economic and technological development zone in Wuhan; automobile "
     "manufacturing base.", ["武汉经开区", "车谷"]),
    ("P-JZETDZ", "荆州经济技术开发区", "Jingzhou Economic & Technological Development Zone",
     "4210", "Statistical division code 421071. One of the focus areas of Jingzhou Petroleum "
     "Technology City together with Jingzhou District and Honghu Fuchang Development Zone "
     "(2019). Site of Midea's Jingzhou refrigerator base, a global lighthouse factory.",
     ["荆州经开区"]),
    ("P-HHFC", "洪湖府场开发区", "Honghu Fuchang Development Zone", "421083",
     "Development zone at Fuchang town (府场镇) of Honghu; one of the focus areas of Jingzhou "
     "Petroleum Technology City (2019).", ["府场开发区"]),
    ("P-XNHTZ", "咸宁高新技术产业开发区", "Xianning High-tech Zone", "4212",
     "High-tech zone of Xianning; hosts Hubei Xiangcheng Intelligent Electromechanical "
     "Industry Research Institute and Xianning CSG Optoelectronic Glass, visited during the "
     "'Innovation China' pilot-city exchange in November 2020.", ["咸宁高新区"]),
    ("P-JSIMP", "京山智能制造产业园", "Jingshan Intelligent Manufacturing Industrial Park",
     "420882", "One of Jingmen's 20 industrial parks built around its seven leading "
     "industries (2018).", []),
    ("P-ZXCNC", "钟祥数控机床产业园", "Zhongxiang CNC Machine Tool Industrial Park", "420881",
     "One of Jingmen's 20 industrial parks built around its seven leading industries "
     "(2018); CNC machine tool manufacturing.", []),
    ("P-JMHTZ", "荆门高新技术产业开发区", "Jingmen High-tech Industrial Development Zone",
     "4208", "National high-tech industrial development zone in Jingmen.", ["荆门高新区"]),
    ("P-XYHTZ", "襄阳高新技术产业开发区", "Xiangyang High-tech Industrial Development Zone",
     "4206", "National high-tech industrial development zone in Xiangyang.", ["襄阳高新区"]),
    ("P-YCHTZ", "宜昌高新技术产业开发区", "Yichang High-tech Industrial Development Zone",
     "4205", "National high-tech industrial development zone in Yichang.", ["宜昌高新区"]),
]


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def clean(s):
    return re.sub(r"\s+", "", s or "")


def build_regions(data):
    adm = os.path.join(data, "cn_admin_divisions_modood")
    provinces = {r["code"]: clean(r["name"]) for r in read_csv(os.path.join(adm, "provinces.csv"))}
    cities = [r for r in read_csv(os.path.join(adm, "cities.csv")) if r["provinceCode"] == "42"]
    areas = [r for r in read_csv(os.path.join(adm, "areas.csv")) if r["provinceCode"] == "42"]
    regions = []
    regions.append(OrderedDict(id="42", name_zh=provinces["42"], name_en="Hubei Province",
                               level="province",
                               description="Province in central China; a big province of "
                               "science and education and an important manufacturing base."))
    regions.append(OrderedDict(id="44", name_zh=provinces["44"], name_en="Guangdong Province",
                               level="province"))
    for c in cities:
        code = c["code"]
        if code == "4290":
            for a in areas:
                if a["cityCode"] == "4290":
                    regions.append(OrderedDict(id=a["code"], name_zh=clean(a["name"]),
                                               name_en=CITY_EN[a["code"]], level="city",
                                               parent="42"))
            continue
        r = OrderedDict(id=code, name_zh=clean(c["name"]), name_en=CITY_EN[code],
                        level="city", parent="42")
        if code in CITY_DESC:
            r["description"] = CITY_DESC[code]
        regions.append(r)
    for a in areas:
        if a["cityCode"] in PILOT_CITIES and a["code"] not in ZONE_CODES:
            regions.append(OrderedDict(id=a["code"], name_zh=clean(a["name"]),
                                       name_en=DISTRICT_EN.get(a["code"]), level="district",
                                       parent=a["cityCode"]))
    for pid, zh, en, parent, desc, _aliases in PARKS:
        regions.append(OrderedDict(id=pid, name_zh=zh, name_en=en, level="park", parent=parent,
                                   description=desc))
    return regions


# --------------------------------------------------------------------------
# Organizations
# --------------------------------------------------------------------------
# Universities: official English names, aliases and research strengths that
# are public knowledge.  Keyed by the Chinese name in the MoE list.
UNI_EXTRA = {
    "武汉大学": ("Wuhan University", ["WHU", "武大"],
             "Comprehensive research university; strengths include surveying, remote sensing "
             "and geospatial information, water resources and hydropower engineering, "
             "software engineering and virology."),
    "华中科技大学": ("Huazhong University of Science and Technology", ["HUST", "华科", "华中理工大学"],
               "Research university; strengths include optoelectronics (Wuhan National "
               "Laboratory for Optoelectronics), mechanical engineering and digital "
               "manufacturing, electrical engineering, energy and power, and medicine."),
    "武汉科技大学": ("Wuhan University of Science and Technology", ["WUST", "武科大"],
               "Strengths in metallurgy, materials and steel-related engineering."),
    "长江大学": ("Yangtze University", ["长大", "Yangtze University"],
             "Largest university in Jingzhou; strengths in petroleum engineering, oil and gas "
             "geology and exploration, and agriculture. Partner of Jingzhou Petroleum "
             "Technology City (tripartite agreement with the Jingzhou government and Sinopec "
             "Petroleum Machinery, 2019)."),
    "武汉工程大学": ("Wuhan Institute of Technology", ["WIT"],
               "Strengths in chemical engineering and chemical technology."),
    "中国地质大学（武汉）": ("China University of Geosciences (Wuhan)", ["CUG", "地大", "中国地质大学"],
                   "Strengths in earth sciences, geological processes and mineral resources, "
                   "geological and petroleum resources engineering."),
    "武汉纺织大学": ("Wuhan Textile University", ["WTU"], "Strengths in textile science and engineering."),
    "武汉轻工大学": ("Wuhan Polytechnic University", ["WHPU"],
               "Strengths in food science, grain and oil processing."),
    "武汉理工大学": ("Wuhan University of Technology", ["WUT", "武理工"],
               "Strengths in materials science (advanced materials synthesis and processing, "
               "silicate building materials), automotive engineering, and transportation and "
               "shipbuilding."),
    "湖北工业大学": ("Hubei University of Technology", ["HBUT"], None),
    "华中农业大学": ("Huazhong Agricultural University", ["HZAU", "华农"],
               "Strengths in crop genetic improvement, agricultural microbiology, animal "
               "science and veterinary medicine, horticulture and food science."),
    "湖北中医药大学": ("Hubei University of Chinese Medicine", [], "Traditional Chinese medicine and pharmacy."),
    "华中师范大学": ("Central China Normal University", ["CCNU", "华师"], None),
    "湖北大学": ("Hubei University", ["HUBU", "湖大"], None),
    "湖北师范大学": ("Hubei Normal University", [], None),
    "黄冈师范学院": ("Huanggang Normal University", [], None),
    "湖北民族学院": ("Hubei Minzu University", ["湖北民族大学"], None),
    "汉江师范学院": ("Hanjiang Normal University", [], None),
    "湖北文理学院": ("Hubei University of Arts and Science", [], None),
    "中南财经政法大学": ("Zhongnan University of Economics and Law", ["ZUEL", "中南大"],
                 "Economics, management and law."),
    "武汉体育学院": ("Wuhan Sports University", [], None),
    "湖北美术学院": ("Hubei Institute of Fine Arts", [], None),
    "中南民族大学": ("South-Central Minzu University", [], None),
    "湖北汽车工业学院": ("Hubei University of Automotive Technology", [], "Automotive engineering."),
    "湖北工程学院": ("Hubei Engineering University", [], None),
    "湖北理工学院": ("Hubei Polytechnic University", [], None),
    "湖北科技学院": ("Hubei University of Science and Technology", [], None),
    "湖北医药学院": ("Hubei University of Medicine", [], None),
    "江汉大学": ("Jianghan University", [], None),
    "三峡大学": ("China Three Gorges University", ["CTGU"],
             "Strengths in hydropower, hydraulic and electrical engineering."),
    "湖北警官学院": ("Hubei University of Police", [], None),
    "荆楚理工学院": ("Jingchu University of Technology", [], None),
    "武汉音乐学院": ("Wuhan Conservatory of Music", [], None),
    "湖北经济学院": ("Hubei University of Economics", [], None),
    "武汉商学院": ("Wuhan Business University", [], None),
    "武汉东湖学院": ("Wuhan Donghu University", [], None),
    "汉口学院": ("Hankou University", [], None),
    "武昌首义学院": ("Wuchang Shouyi University", [], None),
    "武昌理工学院": ("Wuchang University of Technology", [], None),
    "湖北第二师范学院": ("Hubei University of Education", [], None),
    "武汉职业技术学院": ("Wuhan Polytechnic", [], None),
}

# Listed companies (codes) certain to be headquartered in Hubei whose full
# name does not contain 湖北/武汉, with the city of the headquarters
# ("42" where only the province is certain).
EXTRA_HUBEI_LISTED = OrderedDict([
    ("000988", "4201"), ("601869", "4201"), ("000852", "4201"), ("600498", "4201"),
    ("600079", "4201"), ("600006", "42"), ("000759", "4201"), ("000783", "4201"),
    ("601162", "4201"), ("600757", "4201"), ("600993", "4201"), ("600976", "4201"),
    ("603719", "4201"), ("600298", "4205"), ("601311", "4206"), ("000678", "4206"),
    ("300971", "4206"), ("603950", "4206"), ("600801", "42"), ("000966", "4201"),
    ("600068", "4201"), ("000553", "4210"), ("002365", "429005"), ("002950", "4205"),
    ("000627", "42"), ("300323", "4201"), ("603220", "4201"), ("603738", "4213"),
    ("900956", "4202"),
])
# Jointown (九州通) is listed under code 600998; its row in company.json
# carries a wrong code, so it is added from company_industry.json with its
# full name.
MANUAL_LISTED = {
    "600998": ("九州通", "九州通医药集团股份有限公司", "4201"),
}
# Non-Hubei listed parents of organizations named in the seeds.
OUT_OF_PROVINCE_LISTED = {"000333": "44", "000012": "44"}

# City of the headquarters for listed companies whose full name has 湖北/武汉
# but not the city (public knowledge).  Missing -> "42".
HUBEI_CITY = {
    "300980": "4213", "300966": "4206", "601956": "4202", "605388": "4205", "002971": "4205",
    "002962": "4210", "603067": "4202", "300046": "4206", "600107": "4202", "002377": "4201",
    "002783": "4208", "600260": "4210", "300395": "4210", "000926": "4209", "000821": "4208",
    "300276": "4202", "600709": "4210", "300494": "4201", "300516": "4201", "000422": "4205",
    "600141": "4205", "000707": "4209", "000883": "4201", "300054": "4201", "300041": "4206",
    "600035": "4201", "002627": "4205", "000665": "4201", "600293": "4205", "000952": "4211",
}

COMPANY_EN = {
    "000988": "Huagong Tech Co., Ltd.",
    "601869": "Yangtze Optical Fibre and Cable Joint Stock Limited Company",
    "000852": "Sinopec Oilfield Equipment Corporation",
    "600498": "FiberHome Telecommunication Technologies Co., Ltd.",
    "002281": "Accelink Technologies Co., Ltd.",
    "600079": "Humanwell Healthcare (Group) Co., Ltd.",
    "002414": "Wuhan Guide Infrared Co., Ltd.",
    "300747": "Wuhan Raycus Fiber Laser Technologies Co., Ltd.",
    "300567": "Wuhan Jingce Electronic Group Co., Ltd.",
    "300161": "Wuhan Huazhong Numerical Control Co., Ltd.",
    "600998": "Jointown Pharmaceutical Group Co., Ltd.",
    "600298": "Angel Yeast Co., Ltd.",
    "600141": "Hubei Xingfa Chemicals Group Co., Ltd.",
    "000333": "Midea Group Co., Ltd.",
    "000012": "CSG Holding Co., Ltd.",
    "600006": "Dongfeng Automobile Co., Ltd.",
    "002783": "Hubei Kailong Chemical Group Co., Ltd.",
    "000783": "Changjiang Securities Company Limited",
    "600068": "China Gezhouba Group Company Limited",
    "000883": "Hubei Energy Group Co., Ltd.",
    "600801": "Huaxin Cement Co., Ltd.",
    "000553": "ADAMA Ltd.",
    "601311": "Camel Group Co., Ltd.",
    "603719": "Bestore Co., Ltd.",
    "300395": "Hubei Feilihua Quartz Glass Co., Ltd.",
    "600993": "Mayinglong Pharmaceutical Group Co., Ltd.",
    "300323": "HC SemiTek Corporation",
    "601162": "Tianfeng Securities Co., Ltd.",
    "002194": "Wuhan Fingu Electronic Technology Co., Ltd.",
    "300776": "Wuhan DR Laser Technology Corp., Ltd.",
    "300054": "Hubei Dinglong Co., Ltd.",
    "300041": "Hubei Huitian New Materials Co., Ltd.",
    "000422": "Hubei Yihua Chemical Industry Co., Ltd.",
}
COMPANY_ALIASES = {
    "000852": ["Sinopec Petroleum Machinery Co., Ltd.", "石化机械", "SOFE"],
    "000988": ["Hua Gong Science and Technology", "HGTECH"],
    "601869": ["YOFC"],
    "600498": ["FiberHome"],
    "002281": ["Accelink"],
    "000333": ["Midea"],
    "000012": ["南玻", "China CSG Holding", "CSG"],
    "000553": ["沙隆达"],
}
# Recognised high-tech enterprises (public knowledge).
HIGH_TECH = {"000988", "601869", "000852", "600498", "002281", "002414", "300747", "300567",
             "300161", "300776"}
# Companies no longer listed under the code.
DELISTED = {
    "600005": "Delisted in 2017 after the merger of Baosteel and WISCO.",
    "600068": "Delisted in 2021 after its merger into China Energy Engineering.",
    "200770": "Delisted.",
    "000785": "Reorganized in 2019 into Easyhome New Retail Group (居然之家), which kept the code.",
}
# Notes from the seeds on listed companies.
COMPANY_NOTE = {
    "000852": ("Signed a tripartite strategic cooperation framework agreement with the Jingzhou "
               "Municipal People's Government and Yangtze University for Jingzhou Petroleum "
               "Technology City (August 2019). Petroleum machinery subsidiaries in Jingzhou and "
               "Wuhan."),
    "000988": ("Its chairman Ma Xinqiang, an NPC deputy, called in 2024 for deeper "
               "company-university collaboration to train master's and doctoral engineers."),
    "000333": "Operates a refrigerator base in Jingzhou that is a global lighthouse factory.",
    "000012": "Parent of Xianning CSG Optoelectronic Glass in Xianning High-tech Zone.",
}

HUST = "UNI-4142010487"
WHU = "UNI-4142010486"
WUT = "UNI-4142010497"
CUG = "UNI-4142010491"
HZAU = "UNI-4142010504"
YANGTZE = "UNI-4142010489"


def O(oid, kind, name_zh, name_en=None, region=None, **kw):
    d = OrderedDict(id=oid, name_zh=name_zh)
    if name_en:
        d["name_en"] = name_en
    d["kind"] = kind
    if region:
        d["region"] = region
    d.update(kw)
    return d


HAND_ORGS = [
    # ---- named in the seeds ----------------------------------------------
    O("ORG-MIDEA-JZ", "enterprise", "湖北美的电冰箱有限公司", "Midea Jingzhou factory", "4210",
      aliases=["美的集团荆州工厂", "荆州美的冰箱工厂", "Midea's global lighthouse factory (Jingzhou)"],
      parent_org="CO-000333", size="large", industry_codes=["3851"], products=["冰箱", "冷柜"],
      description=("Midea Group's largest refrigerator and freezer production base, in Jingzhou "
                   "Economic and Technological Development Zone; named a global 'lighthouse "
                   "factory' of the World Economic Forum in March 2022. Jingzhou takes it as the "
                   "benchmark for upgrading its industrial base and modernizing the industrial "
                   "chain (2022).")),
    O("ORG-CSG-XN", "enterprise", "咸宁南玻光电玻璃有限公司", "Xianning CSG Optoelectronic Glass Co., Ltd.",
      "4212", aliases=["Xianning CSG Optoelectronic Glass", "咸宁南玻"], parent_org="CO-000012",
      industry_codes=["3042"], products=["电子玻璃", "光电玻璃"],
      description=("Optoelectronic glass maker of CSG Holding in Xianning High-tech Zone; visited "
                   "by the 'Innovation China' pilot-city exchange in November 2020.")),
    O("ORG-XIANGCHENG", "rnd", "湖北香城智能机电产业技术研究院",
      "Hubei Xiangcheng Intelligent Electromechanical Industry Research Institute", "4212",
      industry_codes=["7320"],
      description=("New R&D institution for intelligent electromechanical technology in Xianning "
                   "High-tech Zone; visited by the 'Innovation China' pilot-city exchange in "
                   "November 2020.")),
    O("ORG-OILCHEM-INST", "rnd", "湖北油田化学产业技术研究院",
      "Hubei Oilfield Chemistry Industry Research Institute", "4210", industry_codes=["7320"],
      description=("Oilfield chemistry institute project of Jingzhou Petroleum Technology City; "
                   "the seed report states that its early work was under way in 2019.")),
    O("ORG-YU-SCIPARK", "park", "长江大学科技园", "Yangtze University Science Park", "4210",
      parent_org=YANGTZE, industry_codes=["7221"],
      description=("Science park project of Yangtze University within Jingzhou Petroleum "
                   "Technology City; early work under way in 2019.")),
    O("ORG-HBAST", "agency", "湖北省科学技术协会", "Hubei Association for Science and Technology", "42",
      aliases=["湖北省科协", "HBAST"],
      description=("Provincial association for science and technology; spoke at the 2020 "
                   "'Innovation China' pilot-city exchange in Xianning.")),
    O("ORG-ICHUBEI", "agency", "“科创中国”湖北中心", "Innovation China · Hubei Center", "42",
      aliases=["科创中国湖北中心", "Innovation China Hubei Center"],
      description=("Hubei centre of CAST's 'Innovation China' brand action, which builds a "
                   "technical service and trading platform for resource integration and "
                   "supply-demand matching; its network service platform was demonstrated in "
                   "Xianning in November 2020.")),
    O("ORG-CAST", "agency", "中国科学技术协会", "China Association for Science and Technology",
      aliases=["中国科协", "CAST"],
      description=("National association for science and technology; runs the 'Innovation "
                   "China' (科创中国) brand action and selected the first batch of 22 pilot "
                   "cities (parks) in 2020.")),
    O("ORG-JZSTB", "agency", "荆州市科学技术局", "Jingzhou Science and Technology Bureau", "4210",
      aliases=["荆州市科技局"],
      description=("Government body; initiated the work on Jingzhou Petroleum Technology City "
                   "(2019).")),
    O("ORG-JZGOV", "agency", "荆州市人民政府", "Jingzhou Municipal People's Government", "4210",
      description=("Signed a tripartite strategic cooperation framework agreement with Yangtze "
                   "University and Sinopec Petroleum Machinery in August 2019; issued the "
                   "Opinions on Strengthening Technological Innovation to Lead the High-quality "
                   "Development of Jingzhou.")),
    O("ORG-XNHTZ-ADMIN", "agency", "咸宁高新技术产业开发区管理委员会",
      "Administrative Committee of Xianning High-tech Zone", "4212", aliases=["咸宁高新区管委会"]),
    O("ORG-XNAST", "agency", "咸宁市科学技术协会", "Xianning Association for Science and Technology",
      "4212", aliases=["咸宁市科协"]),
    O("ORG-CIUR", "agency", "中国产学研合作促进会",
      "China Industry-University-Research Institute Collaboration Association",
      description="National association; spoke at the 2020 'Innovation China' exchange in Xianning."),
    O("ORG-CIC", "agency", "中国通信学会", "China Institute of Communications",
      description="National society; spoke at the 2020 'Innovation China' exchange in Xianning."),
    O("ORG-CPA", "agency", "中国药学会", "Chinese Pharmaceutical Association",
      description="National society; spoke at the 2020 'Innovation China' exchange in Xianning."),
    O("ORG-GXAST", "agency", "广西壮族自治区科学技术协会",
      "Guangxi Zhuang Autonomous Region Association for Science and Technology"),
    O("ORG-ZGC", "agency", "中关村科技园区管理委员会", "Zhongguancun Administrative Committee",
      aliases=["Beijing Zhongguancun Administrative Committee"]),
    O("ORG-THU-YRDI", "rnd", "浙江清华长三角研究院",
      "Yangtze Delta Region Institute of Tsinghua University, Zhejiang"),

    # ---- government and service agencies ------------------------------------
    O("ORG-HBSTD", "agency", "湖北省科学技术厅", "Department of Science and Technology of Hubei Province",
      "42", aliases=["湖北省科技厅"]),
    O("ORG-WHSTB", "agency", "武汉市科学技术局", "Wuhan Science and Technology Bureau", "4201",
      aliases=["武汉市科技局"]),
    O("ORG-JMSTB", "agency", "荆门市科学技术局", "Jingmen Science and Technology Bureau", "4208",
      aliases=["荆门市科技局"]),
    O("ORG-XNSTB", "agency", "咸宁市科学技术局", "Xianning Science and Technology Bureau", "4212",
      aliases=["咸宁市科技局"]),
    O("ORG-EHTZ-ADMIN", "agency", "武汉东湖新技术开发区管理委员会",
      "Administrative Committee of Wuhan East Lake High-tech Development Zone", "4201",
      aliases=["光谷管委会", "东湖高新区管委会"]),
    O("ORG-HBIPA", "agency", "湖北省知识产权局", "Hubei Intellectual Property Administration", "42"),
    O("ORG-HBTE", "agency", "湖北技术交易所", "Hubei Technology Exchange", "4201",
      industry_codes=["7530"], description="Technology transfer and trading platform of Hubei."),
    O("ORG-OVEX", "agency", "武汉光谷联合产权交易所", "Wuhan Optics Valley United Property Rights Exchange",
      "4201", industry_codes=["7213"], description="Property rights and equity trading exchange."),
    O("ORG-WIPEX", "agency", "武汉知识产权交易所", "Wuhan Intellectual Property Exchange", "4201",
      industry_codes=["7520"]),
    O("ORG-NTTCC", "agency", "国家技术转移中部中心", None, "4201", industry_codes=["7530"]),

    # ---- investors -----------------------------------------------------------
    O("ORG-HBHTI", "investor", "湖北省高新技术产业投资有限公司", "Hubei Hi-tech Investment Co., Ltd.",
      "4201", aliases=["湖北高投"], industry_codes=["7212"]),
    O("ORG-HBSTIG", "investor", "湖北省科技投资集团有限公司", "Hubei Science and Technology Investment Group",
      "4201", aliases=["湖北科投"], industry_codes=["7212"]),
    O("ORG-CJIIG", "investor", "湖北长江产业投资集团有限公司", "Hubei Changjiang Industry Investment Group",
      "4201", aliases=["长江产业集团"], industry_codes=["7212"]),
    O("ORG-HBLT", "investor", "湖北省联合发展投资集团有限公司", "Hubei United Development Investment Group",
      "4201", aliases=["湖北联投"], industry_codes=["7212"]),
    O("ORG-HBHT", "investor", "湖北宏泰集团有限公司", "Hubei Hongtai Group", "4201",
      industry_codes=["7212"]),
    O("ORG-OVFH", "investor", "武汉光谷金融控股集团有限公司", None, "4201", industry_codes=["7212"]),

    # ---- science parks -------------------------------------------------------
    O("ORG-HUST-SCIPARK", "park", "华中科技大学科技园", "HUST Science Park", "4201", parent_org=HUST,
      industry_codes=["7221"]),
    O("ORG-WHU-SCIPARK", "park", "武汉大学科技园", "Wuhan University Science Park", "4201",
      parent_org=WHU, industry_codes=["7221"]),

    # ---- national research centre, Hubei laboratories ------------------------
    O("LAB-WNLO", "lab", "武汉光电国家研究中心", "Wuhan National Laboratory for Optoelectronics", "4201",
      aliases=["WNLO", "武汉光电国家实验室"], lab_level="national", parent_org=HUST,
      industry_codes=["7310", "7320"],
      description=("National research centre for optoelectronics hosted by HUST: lasers, "
                   "optical communication, optoelectronic devices and biomedical photonics.")),
    O("LAB-OPTICSVALLEY", "lab", "湖北光谷实验室", "Optics Valley Laboratory", "4201",
      aliases=["光谷实验室"], lab_level="provincial", parent_org=HUST,
      description="Hubei laboratory for optoelectronic science (光电科学)."),
    O("LAB-LUOJIA", "lab", "湖北珞珈实验室", "Luojia Laboratory", "4201", aliases=["珞珈实验室"],
      lab_level="provincial", parent_org=WHU,
      description="Hubei laboratory for space and geospatial information science (空天科技)."),
    O("LAB-JIANGXIA", "lab", "湖北江夏实验室", "Jiangxia Laboratory", "4201", aliases=["江夏实验室"],
      lab_level="provincial", description="One of the ten Hubei laboratories."),
    O("LAB-HONGSHAN", "lab", "湖北洪山实验室", "Hongshan Laboratory", "4201", aliases=["洪山实验室"],
      lab_level="provincial", parent_org=HZAU,
      description="Hubei laboratory for biological breeding (生物育种)."),
    O("LAB-JIANGCHENG", "lab", "湖北江城实验室", "Jiangcheng Laboratory", "4201",
      aliases=["江城实验室"], lab_level="provincial",
      description="Hubei laboratory serving the national memory (storage chip) base."),
    O("LAB-DONGHU", "lab", "湖北东湖实验室", "Donghu Laboratory", "4201", aliases=["东湖实验室"],
      lab_level="provincial", description="One of the ten Hubei laboratories."),
    O("LAB-JFS", "lab", "湖北九峰山实验室", "Jiufengshan Laboratory", "4201",
      aliases=["九峰山实验室", "JFS Laboratory"], lab_level="provincial",
      description="Hubei laboratory for compound semiconductors, in Wuhan East Lake High-tech Zone."),
    O("LAB-LONGZHONG", "lab", "湖北隆中实验室", "Longzhong Laboratory", "4206",
      aliases=["隆中实验室"], lab_level="provincial", description="Hubei laboratory in Xiangyang."),
    O("LAB-SANXIA", "lab", "湖北三峡实验室", "Three Gorges Laboratory", "4205",
      aliases=["三峡实验室"], lab_level="provincial", description="Hubei laboratory in Yichang."),
    O("LAB-SHIZHEN", "lab", "湖北时珍实验室", "Shizhen Laboratory", "4201", aliases=["时珍实验室"],
      lab_level="provincial", description="Hubei laboratory for traditional Chinese medicine."),

    # ---- state key laboratories ----------------------------------------------
    O("LAB-DMET", "lab", "数字制造装备与技术国家重点实验室",
      "State Key Laboratory of Digital Manufacturing Equipment and Technology", "4201",
      lab_level="state_key", parent_org=HUST,
      description="Digital manufacturing equipment, CNC and intelligent manufacturing."),
    O("LAB-AEET", "lab", "强电磁工程与新技术国家重点实验室",
      "State Key Laboratory of Advanced Electromagnetic Engineering and Technology", "4201",
      lab_level="state_key", parent_org=HUST,
      description="Pulsed high magnetic fields, electromagnetic engineering and power equipment."),
    O("LAB-COAL", "lab", "煤燃烧国家重点实验室", "State Key Laboratory of Coal Combustion", "4201",
      lab_level="state_key", parent_org=HUST, description="Coal combustion and clean energy conversion."),
    O("LAB-MPDMT", "lab", "材料成形与模具技术国家重点实验室",
      "State Key Laboratory of Materials Processing and Die & Mould Technology", "4201",
      lab_level="state_key", parent_org=HUST,
      description="Materials forming, casting, welding and die and mould technology."),
    O("LAB-LIESMARS", "lab", "测绘遥感信息工程国家重点实验室",
      "State Key Laboratory of Information Engineering in Surveying, Mapping and Remote Sensing",
      "4201", aliases=["LIESMARS"], lab_level="state_key", parent_org=WHU,
      description="Surveying, photogrammetry, remote sensing and GIS."),
    O("LAB-WRHES", "lab", "水资源与水电工程科学国家重点实验室",
      "State Key Laboratory of Water Resources and Hydropower Engineering Science", "4201",
      lab_level="state_key", parent_org=WHU, description="Water resources and hydropower engineering."),
    O("LAB-SKLSE", "lab", "软件工程国家重点实验室", "State Key Laboratory of Software Engineering",
      "4201", lab_level="state_key", parent_org=WHU, description="Software engineering."),
    O("LAB-VIROLOGY", "lab", "病毒学国家重点实验室", "State Key Laboratory of Virology", "4201",
      lab_level="state_key", parent_org=WHU,
      description="Virology; run jointly by Wuhan University and the Wuhan Institute of Virology, CAS."),
    O("LAB-ATMSP", "lab", "材料复合新技术国家重点实验室",
      "State Key Laboratory of Advanced Technology for Materials Synthesis and Processing", "4201",
      lab_level="state_key", parent_org=WUT, description="Advanced composite and functional materials."),
    O("LAB-SMA", "lab", "硅酸盐建筑材料国家重点实验室",
      "State Key Laboratory of Silicate Materials for Architectures", "4201", lab_level="state_key",
      parent_org=WUT, description="Cement, concrete and silicate building materials."),
    O("LAB-GPMR", "lab", "地质过程与矿产资源国家重点实验室",
      "State Key Laboratory of Geological Processes and Mineral Resources", "4201",
      lab_level="state_key", parent_org=CUG, description="Geological processes and mineral resources."),
    O("LAB-BGEG", "lab", "生物地质与环境地质国家重点实验室",
      "State Key Laboratory of Biogeology and Environmental Geology", "4201", lab_level="state_key",
      parent_org=CUG, description="Geobiology and environmental geology."),
    O("LAB-CGI", "lab", "作物遗传改良国家重点实验室", "National Key Laboratory of Crop Genetic Improvement",
      "4201", lab_level="state_key", parent_org=HZAU,
      description="Crop genetics and breeding of rice, rapeseed, cotton and other crops."),
    O("LAB-AGMICRO", "lab", "农业微生物学国家重点实验室", "State Key Laboratory of Agricultural Microbiology",
      "4201", lab_level="state_key", parent_org=HZAU, description="Agricultural microbiology."),
    O("LAB-GEOMECH", "lab", "岩土力学与工程国家重点实验室",
      "State Key Laboratory of Geomechanics and Geotechnical Engineering", "4201",
      lab_level="state_key", parent_org="ORG-CAS-RSM", description="Rock and soil mechanics."),
    O("LAB-FEB", "lab", "淡水生态与生物技术国家重点实验室",
      "State Key Laboratory of Freshwater Ecology and Biotechnology", "4201", lab_level="state_key",
      parent_org="ORG-CAS-IHB", description="Freshwater ecology, fish genetics and biotechnology."),
    O("LAB-MRAMP", "lab", "波谱与原子分子物理国家重点实验室",
      "State Key Laboratory of Magnetic Resonance and Atomic and Molecular Physics", "4201",
      lab_level="state_key", parent_org="ORG-CAS-APM",
      description="Magnetic resonance, atomic and molecular physics, precision measurement."),
    O("LAB-OCTN", "lab", "光纤通信技术和网络国家重点实验室",
      "State Key Laboratory of Optical Communication Technologies and Networks", "4201",
      lab_level="state_key", parent_org="ORG-WRI",
      description="Optical fibre communication technologies and networks."),
    O("LAB-YU-OGRE", "lab", "油气资源与勘探技术教育部重点实验室",
      "Key Laboratory of Exploration Technologies for Oil and Gas Resources, Ministry of Education",
      "4210", lab_level="provincial", parent_org=YANGTZE,
      description="Ministry of Education key laboratory: oil and gas resources and exploration technology."),

    # ---- research institutes ---------------------------------------------------
    O("ORG-NHMFC", "institute", "国家脉冲强磁场科学中心", "Wuhan National High Magnetic Field Center",
      "4201", parent_org=HUST, industry_codes=["7310"],
      description="Pulsed high magnetic field facility, one of the major national science facilities in Wuhan."),
    O("ORG-CAS-WIV", "institute", "中国科学院武汉病毒研究所", "Wuhan Institute of Virology, CAS", "4201",
      industry_codes=["7310"], description="Virology and biosafety research."),
    O("ORG-CAS-IHB", "institute", "中国科学院水生生物研究所", "Institute of Hydrobiology, CAS", "4201",
      industry_codes=["7310"], description="Hydrobiology, freshwater ecology and fisheries."),
    O("ORG-CAS-RSM", "institute", "中国科学院武汉岩土力学研究所",
      "Institute of Rock and Soil Mechanics, CAS", "4201", industry_codes=["7320"],
      description="Rock and soil mechanics and geotechnical engineering."),
    O("ORG-CAS-WBG", "institute", "中国科学院武汉植物园", "Wuhan Botanical Garden, CAS", "4201",
      industry_codes=["7310"], description="Plant science and germplasm conservation."),
    O("ORG-CAS-APM", "institute", "中国科学院精密测量科学与技术创新研究院",
      "Innovation Academy for Precision Measurement Science and Technology, CAS", "4201",
      industry_codes=["7310"], description="Precision measurement, magnetic resonance, geodesy."),
    O("ORG-WRI", "institute", "武汉邮电科学研究院", "Wuhan Research Institute of Posts and Telecommunications",
      "4201", aliases=["邮科院"], parent_org="ORG-CICT", industry_codes=["7320"],
      description="Optical fibre communication research; origin of FiberHome."),
    O("ORG-CRSRI", "institute", "长江水利委员会长江科学院", "Changjiang River Scientific Research Institute",
      "4201", aliases=["长江科学院"], industry_codes=["7320"],
      description="Hydraulic engineering and river research."),
    O("ORG-OCRI", "institute", "中国农业科学院油料作物研究所", "Oil Crops Research Institute, CAAS",
      "4201", industry_codes=["7330"], description="Rapeseed, peanut, soybean and other oil crops."),
    O("ORG-HBAAS", "institute", "湖北省农业科学院", "Hubei Academy of Agricultural Sciences", "4201",
      industry_codes=["7330"]),
    O("ORG-CGS-WH", "institute", "中国地质调查局武汉地质调查中心", "Wuhan Center, China Geological Survey",
      "4201", industry_codes=["7474"]),
    O("ORG-CSSC-701", "institute", "中国舰船研究设计中心", "China Ship Development and Design Center",
      "4201", industry_codes=["7320"], description="Ship design and research (CSSC institute 701)."),
    O("ORG-CSSC-719", "institute", "中国船舶集团有限公司第七一九研究所",
      "The 719th Research Institute of CSSC", "4201", industry_codes=["7320"]),
    O("ORG-CSSC-709", "institute", "中国船舶集团有限公司第七〇九研究所",
      "The 709th Research Institute of CSSC", "4201", industry_codes=["7320"]),
    O("ORG-CSSC-712", "institute", "中国船舶集团有限公司第七一二研究所",
      "The 712th Research Institute of CSSC", "4201", industry_codes=["7320"]),
    O("ORG-CSSC-722", "institute", "中国船舶集团有限公司第七二二研究所",
      "The 722nd Research Institute of CSSC", "4201", industry_codes=["7320"]),
    O("ORG-CSVRI", "institute", "中国特种飞行器研究所", "China Special Vehicle Research Institute", "4208",
      industry_codes=["7320"], description="Aviation research institute in Jingmen; developer of the AG600 amphibious aircraft."),

    # ---- enterprises (not A-share listed, or subsidiaries) ------------------------
    O("ORG-CICT", "enterprise", "中国信息通信科技集团有限公司",
      "China Information and Communication Technology Group Co., Ltd.", "4201", aliases=["中国信科"],
      size="large", industry_codes=["3921", "3832", "3833"]),
    O("ORG-YMTC", "enterprise", "长江存储科技有限责任公司", "Yangtze Memory Technologies Co., Ltd.",
      "4201", aliases=["长江存储", "YMTC"], size="large", industry_codes=["3973"],
      products=["3D NAND闪存"]),
    O("ORG-XMC", "enterprise", "武汉新芯集成电路制造有限公司",
      "Wuhan Xinxin Semiconductor Manufacturing Co., Ltd.", "4201", aliases=["武汉新芯", "XMC"],
      industry_codes=["3973"]),
    O("ORG-CSOT-WH", "enterprise", "武汉华星光电技术有限公司", "Wuhan China Star Optoelectronics Technology Co., Ltd.",
      "4201", aliases=["华星光电武汉"], industry_codes=["3974"], products=["显示面板"]),
    O("ORG-BOE-WH", "enterprise", "武汉京东方光电科技有限公司", "Wuhan BOE Optoelectronics Technology Co., Ltd.",
      "4201", industry_codes=["3974"], products=["显示面板"]),
    O("ORG-TIANMA-WH", "enterprise", "武汉天马微电子有限公司", "Wuhan Tianma Micro-electronics Co., Ltd.",
      "4201", industry_codes=["3974"], products=["显示面板"]),
    O("ORG-DFM", "enterprise", "东风汽车集团有限公司", "Dongfeng Motor Corporation", "4201",
      aliases=["东风公司", "Dongfeng"], size="large", industry_codes=["3611", "3612"]),
    O("ORG-SIJI", "enterprise", "中石化四机石油机械有限公司", "Sinopec Siji Petroleum Machinery Co., Ltd.",
      "4210", aliases=["四机公司", "江汉四机厂"], parent_org="CO-000852", industry_codes=["3512"],
      products=["固井设备", "压裂设备", "修井机", "钻机"],
      description="Jingzhou-based petroleum machinery maker of Sinopec Oilfield Equipment."),
    O("ORG-KINGDREAM", "enterprise", "中石化江钻石油机械有限公司", "Sinopec Kingdream Petroleum Machinery Co., Ltd.",
      "4201", aliases=["江钻"], parent_org="CO-000852", industry_codes=["3512"],
      products=["钻头", "井下工具"]),
    O("ORG-JHOF", "enterprise", "中国石油化工股份有限公司江汉油田分公司", "Sinopec Jianghan Oilfield",
      "429005", aliases=["江汉油田"], size="large", industry_codes=["0711", "0721"]),
    O("ORG-JMPC", "enterprise", "中国石油化工股份有限公司荆门分公司", "Sinopec Jingmen Company",
      "4208", aliases=["荆门石化"], size="large", industry_codes=["2511"]),
    O("ORG-EVE-JM", "enterprise", "湖北亿纬动力有限公司", "Hubei EVE Power Co., Ltd.", "4208",
      aliases=["亿纬动力"], industry_codes=["3841"], products=["锂离子电池"]),
    O("ORG-WISCO", "enterprise", "武汉钢铁有限公司", "Wuhan Iron and Steel Co., Ltd.", "4201",
      aliases=["武钢"], size="large", industry_codes=["3120", "3130"]),
    O("ORG-WHHDMT", "enterprise", "武汉重型机床集团有限公司", "Wuhan Heavy Duty Machine Tool Group Co., Ltd.",
      "4201", aliases=["武重"], industry_codes=["3421"], products=["重型数控机床"]),
    O("ORG-CSCEC3", "enterprise", "中国建筑第三工程局有限公司", "China Construction Third Engineering Bureau Co., Ltd.",
      "4201", aliases=["中建三局"], size="large"),
    O("ORG-MBEC", "enterprise", "中铁大桥局集团有限公司", "China Railway Major Bridge Engineering Group Co., Ltd.",
      "4201", aliases=["中铁大桥局"], size="large"),
    O("ORG-CCCC-SHEB", "enterprise", "中交第二航务工程局有限公司", "CCCC Second Harbor Engineering Co., Ltd.",
      "4201", aliases=["中交二航局"], size="large"),
    O("ORG-WISDRI", "enterprise", "中冶南方工程技术有限公司", "WISDRI Engineering & Research Incorporation Limited",
      "4201", aliases=["中冶南方"], industry_codes=["7484"]),
    O("ORG-CRSSDI", "enterprise", "中铁第四勘察设计院集团有限公司",
      "China Railway Siyuan Survey and Design Group Co., Ltd.", "4201", aliases=["铁四院"],
      industry_codes=["7484"]),
    O("ORG-CISPDR", "enterprise", "长江勘测规划设计研究有限责任公司",
      "Changjiang Institute of Survey, Planning, Design and Research", "4201", aliases=["长江设计集团"],
      industry_codes=["7484"]),
    O("ORG-BAIYUNBIAN", "enterprise", "湖北白云边酒业股份有限公司", "Hubei Baiyunbian Liquor Co., Ltd.",
      "4210", aliases=["白云边"], industry_codes=["1512"], products=["白酒"]),
    O("ORG-JINPAI", "enterprise", "劲牌有限公司", "Jing Brand Co., Ltd.", "4202", aliases=["劲酒"],
      industry_codes=["1519"]),
    O("ORG-HBTOB", "enterprise", "湖北中烟工业有限责任公司", "China Tobacco Hubei Industrial Co., Ltd.",
      "4201", industry_codes=["1620"]),
    O("ORG-SGCC-HB", "enterprise", "国网湖北省电力有限公司", "State Grid Hubei Electric Power Co., Ltd.",
      "4201", size="large", industry_codes=["4420"]),
]


def shenwan_tables(data):
    ck = os.path.join(data, "chainkg")
    industries = {r["code"]: r["name"] for r in read_jsonl(os.path.join(ck, "industry.json"))}
    parent = {r["from_code"]: r["to_code"] for r in read_jsonl(os.path.join(ck, "industry_industry.json"))}
    comp_ind = defaultdict(list)
    for r in read_jsonl(os.path.join(ck, "company_industry.json")):
        code = r["company_code"][:6]
        # a few codes of the older Shenwan edition are named only here
        industries.setdefault(r["industry_code"], r["industry_name"])
        if r["industry_code"] not in comp_ind[code]:
            comp_ind[code].append(r["industry_code"])
    return industries, parent, comp_ind


def shenwan_path(code, industries, parent):
    names = []
    c = code
    while c and c in industries and len(names) < 4:
        names.append(industries[c])
        c = parent.get(c)
    return " / ".join(reversed(names))


def build_universities(data, city_codes):
    out = []
    rows = read_csv(os.path.join(data, "cn_universities", "cn_universities_moe.csv"))
    for r in rows:
        code = r["moe_code"].strip()
        if not code.startswith("4142"):
            continue
        name = clean(r["name"])
        loc = clean(r["location"])
        d = OrderedDict(id="UNI-" + code, name_zh=name)
        extra = UNI_EXTRA.get(name)
        if extra and extra[0]:
            d["name_en"] = extra[0]
        aliases = list(extra[1]) if extra else []
        if aliases:
            d["aliases"] = aliases
        d["kind"] = "university"
        d["region"] = city_codes[loc]
        d["industry_codes"] = ["8341"]
        desc = []
        level = {"本科": "Undergraduate institution (本科)", "专科": "Vocational college (专科)"}.get(
            r["level"].strip(), r["level"].strip())
        sup = clean(r["department"])
        desc.append("%s supervised by %s%s." % (
            level, sup, "; private (民办)" if clean(r["remarks"]) == "民办" else ""))
        if extra and extra[2]:
            desc.append(extra[2])
        d["description"] = " ".join(desc)
        out.append(d)
    return out


def build_companies(data):
    industries, parent, comp_ind = shenwan_tables(data)
    rows = read_jsonl(os.path.join(data, "chainkg", "company.json"))
    by_code = OrderedDict()
    for r in rows:
        code = r["code"][:6]
        by_code.setdefault(code, []).append(r)

    def consistent(r):
        short = re.sub(r"^(\*?ST|S\*ST)|[AB](股)?$|B?退$", "", r["name"])
        return sum(1 for ch in set(short) if ch in r["fullname"]) >= 2

    selected = OrderedDict()  # code -> (short, [fullnames], region)
    for code, rs in by_code.items():
        good = [r for r in rs if consistent(r)]
        hub = [r for r in good if "湖北" in r["fullname"] or "武汉" in r["fullname"]]
        if hub:
            if code in HUBEI_CITY:
                region = HUBEI_CITY[code]
            elif any("武汉" in r["fullname"] for r in hub):
                region = "4201"
            else:
                region = "42"
            selected[code] = (hub[0]["name"], [r["fullname"] for r in good], region,
                              hub[0]["location"])
    for code, region in list(EXTRA_HUBEI_LISTED.items()) + list(OUT_OF_PROVINCE_LISTED.items()):
        rs = [r for r in by_code.get(code, []) if consistent(r)]
        if not rs:
            sys.exit("listed company %s not found in company.json" % code)
        selected[code] = (rs[0]["name"], [r["fullname"] for r in rs], region, rs[0]["location"])
    for code, (short, full, region) in MANUAL_LISTED.items():
        selected[code] = (short, [full], region, "上海证券交易所")

    exchanges = {"上海证券交易所": "Shanghai Stock Exchange", "深圳证券交易所": "Shenzhen Stock Exchange"}
    out = []
    for code, (short, fulls, region, exch) in selected.items():
        d = OrderedDict(id="CO-" + code, name_zh=fulls[0])
        if code in COMPANY_EN:
            d["name_en"] = COMPANY_EN[code]
        aliases = [short] + [f for f in fulls[1:] if f != fulls[0]]
        for a in COMPANY_ALIASES.get(code, []):
            if a not in aliases:
                aliases.append(a)
        d["aliases"] = aliases
        d["kind"] = "enterprise"
        d["region"] = region
        inds = comp_ind.get(code, [])
        if inds:
            d["industry_codes"] = inds
        if code in HIGH_TECH:
            d["high_tech"] = True
        d["size"] = "large"
        d["stock_code"] = code
        if exch not in exchanges:  # one row has a date in the exchange column
            exch = "上海证券交易所" if code.startswith(("6", "9")) else "深圳证券交易所"
        desc = ["%s, securities code %s (%s)." % (
            "B-share" if code.startswith(("2", "9")) else "A-share", code, exchanges[exch])]
        if inds:
            desc.append("Shenwan industry: %s." % "; ".join(
                shenwan_path(i, industries, parent) for i in inds))
        if code in DELISTED:
            desc.append(DELISTED[code])
        if code in COMPANY_NOTE:
            desc.append(COMPANY_NOTE[code])
        d["description"] = " ".join(desc)
        out.append(d)
    return out


# --------------------------------------------------------------------------
# Indicators (figures exactly as the seed reports give them)
# --------------------------------------------------------------------------
def I(city, code, period, region, label_zh, label_en, value=None, unit=None, note=None,
      chain=None, target=None):
    d = OrderedDict(id="IND-%s-%s-%s" % (city, code, period), region=region, name=code,
                    label_zh=label_zh, label_en=label_en, period=period)
    if value is not None:
        d["value"] = value
    if target is not None:
        d["target"] = target
    if unit:
        d["unit"] = unit
    if chain:
        d["chain"] = chain
    d["note"] = note
    return d


INDICATORS = [
    I("WH", "national_laboratories", "2024", "4201", "国家实验室", "national laboratories", 1, "个",
      SRC_HB_2024 + "."),
    I("WH", "state_laboratories", "2024", "4201", "湖北实验室", "state laboratories (Hubei laboratories)",
      10, "个", SRC_HB_2024 + "; reported as '10 state laboratories'. Hubei has ten provincial "
      "'Hubei laboratories' (湖北实验室)."),
    I("WH", "major_sci_tech_facilities", "2024", "4201", "重大科技基础设施",
      "major science and technology facilities", 8, "个", SRC_HB_2024 + "."),
    I("WH", "national_key_laboratories", "2024", "4201", "国家重点实验室", "national key laboratories",
      163, "家", SRC_HB_2024 + "; figure as reported."),
    I("WH", "new_rnd_institutions", "2024", "4201", "新型研发机构", "new research and development institutions",
      477, "家", SRC_HB_2024 + "."),
    I("HB", "key_core_technologies", "2024", "42", "关键核心技术攻关", "key core technologies with significant progress",
      29, "项", SRC_HB_2024 + ": significant progress in working on 29 key core technologies."),
    I("JZ", "petroleum_cluster_output", "2019", "4210", "石油装备产业年产值",
      "annual output of the petroleum industries", 300, "亿元",
      SRC_JZ_2019 + ": petroleum machinery, petrochemical equipment, petrochemical and petroleum "
      "information industries together exceed 30 billion yuan a year (incomplete statistics). "
      "Target: a 100-billion-yuan (千亿级) high-quality industry cluster, no year given.",
      chain="CHN-JZ-PETROMACH", target=1000),
    I("JZ", "petroleum_practitioners", "2019", "4210", "石油装备产业从业人员",
      "practitioners in the petroleum industries", 28000, "人",
      SRC_JZ_2019 + ": a total of 28,000 practitioners.", chain="CHN-JZ-PETROMACH"),
    I("JZ", "key_industrial_chains", "2022", "4210", "重点产业链", "key industrial chains", 11, "条",
      SRC_JZ_2022 + ": 11 key industrial chains such as smart household appliances, auto parts "
      "and petrochemical equipment."),
    I("JZ", "high_tech_enterprises", "2022", "4210", "高新技术企业", "high-tech enterprises", None, "家",
      SRC_JZ_2022 + ": one of the 'six major projects' is doubling the number of high-tech "
      "enterprises; no base figure is given."),
    I("JM", "industrial_parks", "2018", "4208", "工业园区", "industrial parks", 20, "个",
      SRC_JM_2018 + ": 20 industrial parks built around the seven leading industries."),
    I("JM", "leading_industries", "2018", "4208", "主导产业", "leading industries", 7, "个",
      SRC_JM_2018 + ": equipment manufacturing, new energy and new materials, chemical industry, "
      "deep processing of agricultural products, electronic information, renewable resources "
      "utilization and manufacturing, great health."),
    I("JM", "einfo_output_growth", "2018", "4208", "电子信息产业产值增速", "electronic information output growth",
      14, "%", SRC_JM_2018 + ": output value increased by more than 14%.", chain="CHN-JM-EINFO"),
    I("JM", "newenergy_output_growth", "2018", "4208", "新能源新材料产业产值增速",
      "new energy and new materials output growth", 14, "%",
      SRC_JM_2018 + ": output value increased by more than 14%.", chain="CHN-JM-NEWENERGY"),
    I("JM", "recycle_output_growth", "2018", "4208", "再生资源利用与制造产业产值增速",
      "renewable resources utilization and manufacturing output growth", 14, "%",
      SRC_JM_2018 + ": output value increased by more than 14%.", chain="CHN-JM-RECYCLE"),
    I("JM", "health_output_growth", "2018", "4208", "大健康产业产值增速", "great health output growth",
      14, "%", SRC_JM_2018 + ": output value increased by more than 14%.", chain="CHN-JM-HEALTH"),
    I("JM", "agri_cluster_enterprises", "2018", "4208", "农产品加工产业集群企业数",
      "enterprises in the agricultural processing cluster", 470, "家",
      SRC_JM_2018 + ": the Shayang green food and Qujialing ecological agricultural products "
      "processing cluster gathers more than 470 enterprises.", chain="CHN-JM-AGRI"),
    I("JM", "agri_processing_parks", "2018", "4208", "农产品加工园区", "agricultural products processing parks",
      4, "个", SRC_JM_2018 + ": four agricultural products processing parks in the cluster.",
      chain="CHN-JM-AGRI"),
    I("JM", "agri_cluster_chains", "2018", "4208", "集群产业链", "industrial chains in the cluster", 7, "条",
      SRC_JM_2018 + ": seven industrial chains in the agricultural processing cluster.",
      chain="CHN-JM-AGRI"),
    I("JM", "agri_base_area", "2018", "4208", "生产基地面积", "production base area", 900, "万亩",
      SRC_JM_2018 + ": more than 9 million mu of production bases.", chain="CHN-JM-AGRI"),
    I("JM", "agri_farmers_driven", "2018", "4208", "带动农民创业就业", "farmers driven to start businesses or find jobs",
      200000, "人", SRC_JM_2018 + ": driving more than 200,000 farmers.", chain="CHN-JM-AGRI"),
    I("JM", "agri_cluster_output", "2017", "4208", "农产品加工产业集群产值",
      "output of the agricultural processing cluster", 1300, "亿元",
      SRC_JM_2018 + ": last year the output value exceeded 130 billion yuan.", chain="CHN-JM-AGRI"),
    I("JM", "agri_cluster_output_share", "2017", "4208", "占全市工业总产值比重",
      "share of the city's total industrial output", 40, "%",
      SRC_JM_2018 + ": 40% of the city's total industrial output value.", chain="CHN-JM-AGRI"),
    I("JM", "heavy_asset_projects", "2018", "4208", "开工重资产项目", "heavy-asset projects started", 48, "个",
      SRC_JM_2018 + ": 48 heavy-asset projects started in the first 10 months of the year."),
    I("JM", "heavy_asset_project_area", "2018", "4208", "重资产项目占地面积", "area of heavy-asset projects",
      400, "万平方米", SRC_JM_2018 + ": covering more than 4 million square meters (first 10 months)."),
    I("JM", "people_out_of_poverty", "2018", "4208", "脱贫人口", "people lifted out of poverty", 247000, "人",
      SRC_JM_2018 + "."),
    I("JM", "urban_jobs_added", "2018", "4208", "新增城镇就业", "urban employed people added", 264000, "人",
      SRC_JM_2018 + "."),
    I("JM", "livelihood_spending_share", "2018", "4208", "民生支出占一般公共预算支出比重",
      "share of livelihood spending in general public budget expenditure", 75, "%",
      SRC_JM_2018 + ": above 75% for five consecutive years."),
    I("XN", "innovation_china_pilot_cities", "2020", "4212", "“科创中国”首批试点城市（园区）",
      "first batch of 'Innovation China' pilot cities (parks)", 22, "个",
      SRC_XN_2020 + ": Xianning selected as one of the first batch of 22 pilot cities (parks)."),
]


# --------------------------------------------------------------------------
# Assembly, checks and output
# --------------------------------------------------------------------------
FIELD_ORDER = {
    "region": ["name_zh", "name_en", "level", "parent", "description"],
    "organization": ["name_zh", "name_en", "aliases", "kind", "region", "industry_codes", "high_tech",
                     "size", "founded", "lab_level", "parent_org", "stock_code", "website",
                     "description", "products"],
    "indicator": ["region", "name", "label_zh", "label_en", "period", "value", "target", "unit",
                  "chain", "note"],
}


def ordered(kind, rec):
    out = OrderedDict(id=rec["id"], demo=True)
    for f in FIELD_ORDER[kind]:
        v = rec.get(f)
        if v is None or v == [] or v == "":
            continue
        out[f] = v
    extra = set(rec) - set(FIELD_ORDER[kind]) - {"id"}
    if extra:
        sys.exit("%s %s: unknown fields %s" % (kind, rec["id"], sorted(extra)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    regions = build_regions(args.data)
    city_codes = {r["name_zh"]: r["id"] for r in regions if r["level"] in ("city", "province")}
    orgs = build_universities(args.data, city_codes) + build_companies(args.data) + list(HAND_ORGS)
    indicators = list(INDICATORS)

    files = [("region", regions), ("organization", orgs), ("indicator", indicators)]
    os.makedirs(args.out, exist_ok=True)
    for kind, recs in files:
        ids = [r["id"] for r in recs]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            sys.exit("%s: duplicate ids %s" % (kind, sorted(dup)))
        path = os.path.join(args.out, kind + ".jsonl")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            for r in recs:
                f.write(json.dumps(ordered(kind, r), ensure_ascii=False) + "\n")
        print("%-13s %4d  %s" % (kind, len(recs), path))


if __name__ == "__main__":
    main()
