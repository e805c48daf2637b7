#!/usr/bin/env python3
"""Regenerate the base demo data of innolink.

Writes data/demo/{region,organization,chain,link,indicator}.jsonl from the
reference data in /work/shared/data (division codes, the MoE university list,
the A-share company list with Shenwan industries, GB/T 4754-2017, IPC) and the
facts written out below, which come from the five news reports in
/work/shared/seeds and from public knowledge (see data/demo/SOURCES.md).

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
# Industrial chains and their links
# --------------------------------------------------------------------------
# Each link: (segment, name_zh, name_en, keywords, GB/T 4754-2017 classes,
#             Shenwan codes, IPC subclasses, products, numbers of the links it supplies)
U, M, D = "upstream", "midstream", "downstream"

CHAINS = [
    dict(
        id="CHN-JZ-APPLIANCE", name_zh="智能家电产业链", name_en="Smart household appliances chain",
        region="4210",
        description=("One of Jingzhou's 11 key industrial chains (2022), with Midea's Jingzhou "
                     "global lighthouse factory as the benchmark; refrigerators and other white "
                     "goods, their components and smart-home services."),
        links=[
            (U, "钢材与有色金属材料", "Steel sheet and non-ferrous metals",
             ["冷轧板", "彩涂板", "铜管", "铝材", "cold-rolled steel", "copper tube", "aluminium"],
             ["3130", "3251", "3252"], ["230402", "240302", "240301"], ["C22C", "B21D"],
             ["冷轧钢板", "预涂钢板", "空调铜管", "铝箔"], [3, 6]),
            (U, "工程塑料与化工材料", "Engineering plastics and chemical materials",
             ["改性塑料", "ABS", "聚氨酯发泡", "modified plastics", "polyurethane foam", "resin"],
             ["2651", "2929"], ["220503", "220504", "220313"], ["C08L", "C08G"],
             ["改性PP", "ABS树脂", "聚氨酯保温料"], [6, 8]),
            (U, "压缩机与电机", "Compressors and motors",
             ["压缩机", "变频压缩机", "电机", "compressor", "inverter compressor", "motor"],
             ["3442", "3813"], ["330601", "630101"], ["F04B", "H02K"],
             ["冰箱压缩机", "空调压缩机", "洗衣机电机"], [8, 9, 10]),
            (U, "电子元器件与控制板", "Electronic components and control boards",
             ["控制板", "PCB", "功率器件", "MCU", "controller board", "power device"],
             ["3982", "3972", "3981"], ["270202", "270102", "270203"], ["H05K", "H01L"],
             ["主控板", "变频驱动板", "显示板"], [7]),
            (U, "传感器与物联网模组", "Sensors and IoT modules",
             ["传感器", "温度传感器", "WiFi模组", "物联网", "sensor", "IoT module"],
             ["3983", "3921"], ["270203", "730204"], ["G01K", "H04L"],
             ["温湿度传感器", "WiFi模组", "蓝牙模组"], [7]),
            (M, "钣金注塑结构件", "Sheet-metal and injection-moulded parts",
             ["钣金", "注塑", "结构件", "内胆", "sheet metal", "injection moulding"],
             ["3857", "3525"], ["330601"], ["B29C", "B21D"],
             ["箱体", "内胆", "门体", "底座"], [8, 9, 10, 11]),
            (M, "智能控制系统与软件", "Smart control systems and software",
             ["智能控制", "嵌入式软件", "变频控制", "smart control", "embedded software", "inverter control"],
             ["6513", "6532"], ["710401"], ["G05B", "G06F"],
             ["变频控制器", "智能家电操作系统"], [8, 9, 10, 11, 12]),
            (M, "冰箱冷柜", "Refrigerators and freezers",
             ["冰箱", "冷柜", "制冷", "refrigerator", "freezer", "refrigeration"],
             ["3851"], ["330106"], ["F25D"], ["多门冰箱", "对开门冰箱", "冷柜"], [13, 14]),
            (M, "洗衣机", "Washing machines",
             ["洗衣机", "滚筒洗衣机", "干衣机", "washing machine", "drum washer", "dryer"],
             ["3855"], ["330106"], ["D06F"], ["滚筒洗衣机", "波轮洗衣机", "洗烘一体机"], [13, 14]),
            (M, "空调", "Air conditioners",
             ["空调", "变频空调", "热泵", "air conditioner", "heat pump", "HVAC"],
             ["3852"], ["330102"], ["F24F"], ["分体空调", "柜机", "中央空调"], [13, 14]),
            (M, "厨房与生活小家电", "Kitchen and small appliances",
             ["厨房电器", "小家电", "电饭煲", "微波炉", "kitchen appliance", "small appliance"],
             ["3854", "3856"], ["330301", "330401"], ["A47J", "F24C", "H05B"],
             ["电饭煲", "微波炉", "电磁炉"], [13, 14]),
            (D, "智能家居平台与物联网服务", "Smart-home platforms and IoT services",
             ["智能家居", "物联网平台", "远程控制", "smart home", "IoT platform", "app"],
             ["6532", "6432"], ["710301"], ["H04L", "G06Q"], ["家电互联平台", "智能家居App"], []),
            (D, "家电批发零售与电商", "Appliance wholesale, retail and e-commerce",
             ["家电零售", "电商", "渠道", "appliance retail", "e-commerce", "distribution"],
             ["5138", "5272", "5292"], ["450401", "450601"], ["G06Q"], ["线上旗舰店", "家电卖场"], []),
            (D, "安装售后与废旧家电回收", "Installation, after-sales and appliance recycling",
             ["安装", "维修", "售后", "废旧家电回收", "after-sales service", "appliance recycling"],
             ["8132", "4210"], ["760103"], ["B09B"], ["上门安装维修", "以旧换新回收"], []),
        ]),
    dict(
        id="CHN-JZ-AUTOPARTS", name_zh="汽车零部件产业链", name_en="Auto parts chain", region="4210",
        description=("One of Jingzhou's 11 key industrial chains (2022): materials, castings and "
                     "forgings, chassis, powertrain, electrical and body parts supplied to "
                     "vehicle makers and the aftermarket."),
        links=[
            (U, "钢材与特殊钢", "Steel and special steel",
             ["特钢", "齿轮钢", "汽车板", "special steel", "gear steel", "automotive sheet"],
             ["3120", "3130"], ["230501", "230402"], ["C22C", "C21D"],
             ["齿轮钢", "弹簧钢", "汽车用冷轧板"], [5, 6, 7, 9]),
            (U, "铝合金与有色材料", "Aluminium alloys and non-ferrous materials",
             ["铝合金", "压铸铝", "轻量化", "aluminium alloy", "die casting", "lightweighting"],
             ["3216", "3240", "3252"], ["240301"], ["C22C", "B22D"], ["铝锭", "压铸铝合金"], [5, 9]),
            (U, "橡胶与塑料材料", "Rubber and plastic materials",
             ["橡胶件", "改性塑料", "密封", "rubber parts", "engineering plastics", "seals"],
             ["2913", "2929"], ["220602", "220503"], ["C08L", "F16J"], ["橡胶密封件", "塑料内饰粒料"], [9]),
            (U, "汽车芯片与电子元器件", "Automotive chips and electronic components",
             ["汽车芯片", "功率半导体", "传感器", "automotive chip", "power semiconductor", "sensor"],
             ["3972", "3973", "3983"], ["270102", "270106"], ["H01L"],
             ["MCU", "IGBT模块", "车规级传感器"], [8, 10]),
            (M, "铸锻件与毛坯", "Castings, forgings and blanks",
             ["铸件", "锻件", "毛坯", "casting", "forging", "blank"],
             ["3391", "3392", "3393"], ["640108"], ["B22D", "B21J"],
             ["转向节", "曲轴毛坯", "壳体铸件"], [6, 7]),
            (M, "底盘系统", "Chassis systems",
             ["转向器", "制动器", "悬架", "steering", "brake", "suspension"],
             ["3670"], ["280203"], ["B62D", "F16D", "B60G"],
             ["转向器", "制动器", "减振器"], [12, 13]),
            (M, "发动机与传动系统零部件", "Engine and driveline parts",
             ["发动机零部件", "变速器", "轴承", "engine parts", "transmission", "bearing"],
             ["3670", "3412"], ["280203"], ["F02F", "F16H", "F16C"],
             ["缸体", "齿轮", "轮毂轴承"], [12, 13]),
            (M, "汽车电子电气系统", "Automotive electronics and electrical systems",
             ["汽车电子", "线束", "车载控制器", "automotive electronics", "wiring harness", "ECU"],
             ["3670", "3962"], ["280206"], ["B60R", "B60L"],
             ["线束", "车身控制器", "车载显示"], [12, 13]),
            (M, "车身附件及内外饰", "Body fittings and interior/exterior trim",
             ["内饰", "外饰", "座椅", "车灯", "interior trim", "exterior trim", "seat"],
             ["3670", "3660"], ["280202"], ["B60R", "B60J", "B60N"],
             ["座椅", "仪表板", "车门模块"], [12, 13]),
            (M, "新能源汽车三电系统", "EV battery, motor and control systems",
             ["动力电池", "驱动电机", "电控", "traction battery", "drive motor", "motor controller"],
             ["3841", "3812", "3670"], ["630701", "280206"], ["H01M", "B60L", "H02K"],
             ["电池包", "驱动电机", "电机控制器"], [12]),
            (M, "汽车空调与热管理", "Vehicle air conditioning and thermal management",
             ["汽车空调", "热管理", "热泵", "vehicle HVAC", "thermal management", "heat pump"],
             ["3670"], ["280205"], ["B60H"], ["汽车空调压缩机", "热泵总成"], [12, 13]),
            (D, "整车制造", "Vehicle manufacturing",
             ["整车", "乘用车", "商用车", "新能源汽车", "vehicle assembly", "passenger car", "EV"],
             ["3611", "3612"], ["280502", "280501", "280601"], ["B62D"],
             ["乘用车", "商用车", "新能源汽车"], []),
            (D, "汽车售后与维修服务", "Aftermarket and vehicle repair",
             ["售后市场", "汽车维修", "配件零售", "aftermarket", "vehicle repair", "spare parts"],
             ["5263", "5172", "8111"], ["280303"], ["B60S"], ["维修保养", "配件分销"], []),
            (D, "汽车零部件检测认证", "Auto parts testing and certification",
             ["检测", "认证", "台架试验", "testing", "certification", "bench test"],
             ["7452", "7455"], ["460802"], ["G01M"], ["零部件可靠性试验", "产品认证"], []),
        ]),
    dict(
        id="CHN-JZ-PETROEQUIP", name_zh="石化装备产业链", name_en="Petrochemical equipment chain",
        region="4210",
        description=("One of Jingzhou's 11 key industrial chains (2022) and part of Jingzhou "
                     "Petroleum Technology City: pressure vessels, columns, reactors, packing, "
                     "piping and pump-valve sets for refining and chemical plants."),
        links=[
            (U, "容器板与特种合金材料", "Vessel plate and special alloys",
             ["容器板", "不锈钢", "特种合金", "pressure vessel plate", "stainless steel", "alloy"],
             ["3130", "3140"], ["230501", "230402"], ["C22C"], ["容器钢板", "不锈钢板", "镍基合金"], [5, 6, 8]),
            (U, "铸锻件", "Castings and forgings",
             ["锻件", "法兰", "铸件", "forging", "flange", "casting"],
             ["3391", "3393"], ["640108"], ["B21J", "B22D"], ["锻制法兰", "管板", "阀体铸件"], [5, 6, 9]),
            (U, "泵阀与密封件", "Pumps, valves and seals",
             ["阀门", "泵", "机械密封", "valve", "pump", "mechanical seal"],
             ["3441", "3443", "3481"], ["640106"], ["F16K", "F04D", "F16J"], ["调节阀", "离心泵", "机械密封"], [9]),
            (U, "仪表与控制系统", "Instruments and control systems",
             ["仪表", "DCS", "流量计", "instrumentation", "DCS", "flow meter"],
             ["4011", "4019"], ["640107", "640702"], ["G05B", "G01F"], ["压力变送器", "流量计", "DCS系统"], [12]),
            (M, "压力容器与换热器", "Pressure vessels and heat exchangers",
             ["压力容器", "换热器", "储罐", "pressure vessel", "heat exchanger", "tank"],
             ["3332", "3521"], ["640203"], ["F28D", "F17C", "F16J"], ["管壳式换热器", "球罐", "分离器"], [10, 11, 12]),
            (M, "塔器与反应器", "Columns and reactors",
             ["塔器", "反应器", "精馏塔", "column", "reactor", "distillation"],
             ["3521"], ["640203"], ["B01J", "B01D"], ["精馏塔", "加氢反应器"], [10, 11, 12]),
            (M, "化工填料与塔内件", "Tower packing and internals",
             ["填料", "塔内件", "规整填料", "tower packing", "tower internals", "structured packing"],
             ["3521", "3073"], ["640209"], ["B01J", "B01D"], ["规整填料", "散堆填料", "塔盘"], [6]),
            (M, "工业管道与管件", "Process piping and fittings",
             ["管道", "管件", "弯头", "pipeline", "pipe fitting", "elbow"],
             ["3130", "3399"], ["230403"], ["F16L"], ["无缝钢管", "管件", "弯头"], [12]),
            (M, "压缩机与机泵成套", "Compressor and pump packages",
             ["压缩机", "机泵成套", "撬装", "compressor", "pump package", "skid"],
             ["3442", "3441"], ["640106"], ["F04B", "F04D"], ["往复式压缩机", "撬装泵组"], [10, 11]),
            (D, "炼油与石油化工", "Oil refining and petrochemicals",
             ["炼油", "石化", "乙烯", "refining", "petrochemical", "ethylene"],
             ["2511", "2614"], ["750301"], ["C10G"], ["成品油", "化工原料"], []),
            (D, "煤化工与精细化工", "Coal chemicals and fine chemicals",
             ["煤化工", "精细化工", "化工园区", "coal chemical", "fine chemical", "chemical park"],
             ["2522", "2661"], ["220205", "220309"], ["C10J", "B01J"], ["合成气", "精细化学品"], []),
            (D, "化工工程总包与安装", "Chemical EPC and installation",
             ["工程总包", "EPC", "设备安装", "EPC contracting", "installation", "plant engineering"],
             ["4840", "4920", "7484"], ["620402", "750202"], ["B01J"], ["装置设计", "设备安装"], []),
            (D, "检验检测与设备维修", "Inspection and equipment maintenance",
             ["无损检测", "定期检验", "设备维修", "NDT", "inspection", "maintenance"],
             ["7452", "4330"], ["460802"], ["G01N", "G01M"], ["压力容器检验", "检维修服务"], []),
        ]),
    dict(
        id="CHN-JZ-PETROMACH", name_zh="石油机械产业链", name_en="Petroleum machinery chain",
        region="4210",
        description=("Leading segment of Jingzhou Petroleum Technology City (2019), built on "
                     "Sinopec Petroleum Machinery and Yangtze University: drilling rigs, pumps, "
                     "bits, fracturing, cementing and well-control equipment and the services "
                     "that use them."),
        links=[
            (U, "钢材与特殊钢管材", "Steel and special steel tubulars",
             ["特殊钢", "合金钢", "管坯", "special steel", "alloy steel", "tube billet"],
             ["3120", "3130"], ["230501", "230403"], ["C22C", "C21D"], ["合金结构钢", "管坯", "钻铤钢"], [2, 7, 9, 12]),
            (U, "铸锻件", "Castings and forgings",
             ["锻件", "铸件", "阀体", "forging", "casting", "valve body"],
             ["3391", "3393"], ["640108"], ["B21J", "B22D"], ["泵头锻件", "井口阀体", "钻机铸件"], [7, 8, 10, 11]),
            (U, "液压元件", "Hydraulic components",
             ["液压", "液压缸", "液压泵", "hydraulics", "hydraulic cylinder", "hydraulic pump"],
             ["3444"], ["640602"], ["F15B"], ["液压缸", "液压泵", "液压阀"], [7, 10, 11]),
            (U, "电机与变频驱动", "Motors and variable-frequency drives",
             ["电机", "变频", "电驱", "motor", "VFD", "electric drive"],
             ["3812", "3824"], ["630101"], ["H02K", "H02P"], ["交流变频电机", "变频器"], [7, 8, 10]),
            (U, "传感器与测控仪表", "Sensors and measurement instruments",
             ["传感器", "压力测量", "测控", "sensor", "pressure measurement", "instrumentation"],
             ["3983", "4025"], ["640107"], ["G01L", "G01V"], ["压力传感器", "钻井参数仪"], [7, 9, 10, 11]),
            (U, "柴油机与传动箱", "Diesel engines and transmissions",
             ["柴油机", "变速箱", "传动", "diesel engine", "transmission", "gearbox"],
             ["3412", "3453"], ["640106"], ["F02B", "F16H"], ["柴油发动机", "传动箱"], [7, 8, 10]),
            (M, "钻机与修井机", "Drilling and workover rigs",
             ["钻机", "修井机", "电驱钻机", "drilling rig", "workover rig", "electric rig"],
             ["3512"], ["640203"], ["E21B"], ["电驱钻机", "车装钻机", "修井机"], [13, 14, 15]),
            (M, "钻井泵与固控设备", "Mud pumps and solids control",
             ["钻井泵", "泥浆泵", "固控", "mud pump", "solids control", "shale shaker"],
             ["3512", "3441"], ["640203"], ["F04B", "E21B", "B01D"], ["三缸钻井泵", "振动筛"], [13, 14, 15]),
            (M, "钻头与井下工具", "Drill bits and downhole tools",
             ["钻头", "PDC钻头", "井下工具", "drill bit", "PDC bit", "downhole tool"],
             ["3512"], ["640203"], ["E21B"], ["PDC钻头", "牙轮钻头", "螺杆钻具"], [13, 14]),
            (M, "压裂与固井装备", "Fracturing and cementing equipment",
             ["压裂", "压裂车", "固井", "fracturing", "frac pump", "cementing"],
             ["3512"], ["640203"], ["E21B", "F04B"], ["压裂车", "混砂车", "固井车"], [13, 15]),
            (M, "井口与井控设备", "Wellhead and pressure control equipment",
             ["井口", "采油树", "防喷器", "wellhead", "christmas tree", "BOP"],
             ["3512", "3443"], ["640203"], ["E21B", "F16K"], ["采油树", "防喷器", "节流压井管汇"], [13, 16]),
            (M, "石油专用管材", "Oil country tubular goods",
             ["油管", "套管", "钻杆", "tubing", "casing", "drill pipe", "OCTG"],
             ["3130"], ["230403"], ["E21B", "F16L"], ["油套管", "钻杆", "连续油管"], [13, 14, 16]),
            (D, "油田技术服务", "Oilfield services",
             ["油服", "压裂服务", "井下作业", "oilfield services", "fracturing service", "well service"],
             ["1120"], ["750201"], ["E21B"], ["压裂施工", "修井作业"], [16]),
            (D, "钻井工程承包", "Drilling contracting",
             ["钻井工程", "钻井承包", "定向井", "drilling contracting", "directional drilling", "well construction"],
             ["1120"], ["750201", "750202"], ["E21B"], ["钻井总包", "定向钻井"], [16]),
            (D, "装备维修与再制造", "Equipment maintenance and remanufacturing",
             ["维修", "再制造", "翻新", "maintenance", "remanufacturing", "overhaul"],
             ["4330"], ["750201"], ["E21B", "B23P"], ["钻机大修", "压裂泵再制造"], [13, 14]),
            (D, "油气开采", "Oil and gas production",
             ["油田", "气田", "页岩气", "oilfield", "gas field", "shale gas"],
             ["0711", "0721"], ["750101"], ["E21B"], ["原油", "天然气"], []),
        ]),
    dict(
        id="CHN-JZ-OILCHEM", name_zh="油田化学产业链", name_en="Oilfield chemistry chain", region="4210",
        description=("Leading segment of Jingzhou Petroleum Technology City (2019): chemicals for "
                     "drilling, fracturing, enhanced recovery and produced-fluid treatment, "
                     "with the Hubei Oilfield Chemistry Industry Research Institute project."),
        links=[
            (U, "无机化工原料", "Inorganic chemical raw materials",
             ["无机盐", "酸碱", "氯碱", "inorganic salt", "acid", "caustic soda"],
             ["2611", "2612", "2613"], ["220202", "220203"], ["C01B", "C01D"], ["盐酸", "烧碱", "氯化钾"], [5, 6, 8, 9]),
            (U, "有机化工原料与单体", "Organic raw materials and monomers",
             ["丙烯酰胺", "有机原料", "单体", "acrylamide", "organic chemicals", "monomer"],
             ["2614"], ["220204"], ["C07C", "C08F"], ["丙烯酰胺", "环氧乙烷", "甲醛"], [5, 7, 8]),
            (U, "天然高分子与改性原料", "Natural polymers and modified raw materials",
             ["瓜尔胶", "淀粉", "纤维素", "guar gum", "starch", "cellulose"],
             ["1391", "2663"], ["220309"], ["C08B"], ["瓜尔胶", "羧甲基纤维素", "改性淀粉"], [5, 6]),
            (U, "表面活性剂原料", "Surfactant raw materials",
             ["表面活性剂", "脂肪醇", "石油磺酸盐", "surfactant", "fatty alcohol", "sulfonate"],
             ["2661", "2614"], ["220309"], ["C09K", "C07C"], ["石油磺酸盐", "非离子表面活性剂"], [6, 7, 8]),
            (M, "钻井液处理剂", "Drilling fluid additives",
             ["钻井液", "降滤失剂", "润滑剂", "drilling fluid", "fluid loss additive", "lubricant"],
             ["2661"], ["220309"], ["C09K", "E21B"], ["降滤失剂", "页岩抑制剂", "钻井液润滑剂"], [10]),
            (M, "压裂液与支撑剂", "Fracturing fluids and proppants",
             ["压裂液", "稠化剂", "支撑剂", "fracturing fluid", "gelling agent", "proppant"],
             ["2661", "3073"], ["220309"], ["C09K", "E21B"], ["压裂稠化剂", "滑溜水减阻剂", "陶粒支撑剂"], [10, 11]),
            (M, "采油与提高采收率化学剂", "Production and EOR chemicals",
             ["提高采收率", "驱油剂", "聚合物驱", "EOR", "polymer flooding", "surfactant flooding"],
             ["2661", "2651"], ["220309"], ["C09K", "C08F", "E21B"], ["聚丙烯酰胺", "驱油用表面活性剂"], [11]),
            (M, "集输与处理化学剂", "Gathering and treating chemicals",
             ["破乳剂", "缓蚀剂", "阻垢剂", "demulsifier", "corrosion inhibitor", "scale inhibitor"],
             ["2661"], ["220309"], ["C09K", "C10G", "C23F"], ["破乳剂", "缓蚀剂", "阻垢剂"], [11, 12]),
            (M, "油田水处理剂", "Oilfield water treatment agents",
             ["水处理剂", "絮凝剂", "杀菌剂", "water treatment", "flocculant", "biocide"],
             ["2666"], ["220309"], ["C02F", "A01N"], ["絮凝剂", "杀菌剂"], [12]),
            (D, "钻完井工程服务", "Drilling and completion services",
             ["钻井", "完井", "钻井液服务", "drilling", "completion", "mud service"],
             ["1120"], ["750201"], ["E21B"], ["钻井液技术服务", "完井服务"], []),
            (D, "油气开采与增产作业", "Production and stimulation",
             ["采油", "增产", "压裂酸化", "oil production", "stimulation", "acidizing"],
             ["0711", "0721", "1120"], ["750101", "750201"], ["E21B"], ["压裂酸化施工", "三次采油"], []),
            (D, "油田环保与采出水处理", "Oilfield environmental protection and produced water",
             ["采出水", "回注", "含油污泥", "produced water", "reinjection", "oily sludge"],
             ["7721", "7724"], ["760102", "760103"], ["C02F", "B09B"], ["采出水回注处理", "含油污泥处置"], []),
            (D, "分析检测与评价", "Analysis, testing and evaluation",
             ["化学剂评价", "检测", "岩心分析", "chemical evaluation", "testing", "core analysis"],
             ["7452"], ["460802"], ["G01N"], ["化学剂性能评价", "岩心驱替实验"], []),
        ]),
    dict(
        id="CHN-JZ-OILSERV", name_zh="智慧油服产业链", name_en="Smart oil services chain", region="4210",
        description=("Leading segment of Jingzhou Petroleum Technology City (2019), together with "
                     "petroleum information: digital exploration, logging, drilling decision "
                     "support and intelligent operation of oil and gas fields."),
        links=[
            (U, "井下测量仪器与传感器", "Downhole instruments and sensors",
             ["随钻测量", "传感器", "井下仪器", "MWD", "sensor", "downhole instrument"],
             ["3983", "4025"], ["640107"], ["G01V", "E21B"], ["随钻测量仪", "井下压力计"], [6, 7]),
            (U, "工业通信与物联网设备", "Industrial communications and IoT devices",
             ["工业物联网", "无线通信", "数据采集", "industrial IoT", "wireless", "data acquisition"],
             ["3921", "6532"], ["730204"], ["H04L", "H04B", "G08C"], ["井场无线网络", "数据采集终端"], [7, 9]),
            (U, "工业软件与数据平台", "Industrial software and data platforms",
             ["工业软件", "数据平台", "地学软件", "industrial software", "data platform", "geoscience software"],
             ["6513", "6512", "6450"], ["710401", "710402"], ["G06F"], ["油藏工程软件", "勘探开发数据库"], [5, 8, 9]),
            (U, "计算与存储设施", "Computing and storage infrastructure",
             ["高性能计算", "云计算", "存储", "HPC", "cloud computing", "storage"],
             ["3911", "6550"], ["710103", "710301"], ["G06F"], ["地震处理计算集群", "云平台"], [5, 8]),
            (M, "地震勘探与资料处理解释", "Seismic exploration, processing and interpretation",
             ["地震勘探", "资料处理", "解释", "seismic survey", "processing", "interpretation"],
             ["7471", "7475"], ["750201"], ["G01V"], ["三维地震处理", "构造解释"], [10]),
            (M, "测井与随钻测量服务", "Logging and measurement-while-drilling",
             ["测井", "随钻测井", "录井", "well logging", "LWD", "mud logging"],
             ["1120", "4025"], ["750201"], ["G01V", "E21B"], ["电缆测井", "随钻测井服务"], [10]),
            (M, "钻井数字化与远程决策", "Digital drilling and remote decision support",
             ["远程决策", "实时钻井", "井控预警", "remote operations", "real-time drilling", "well control alert"],
             ["1120", "6531"], ["750201", "710301"], ["E21B", "G06Q"], ["钻井远程决策中心", "井控智能预警"], [10]),
            (M, "油藏数值模拟与智能分析", "Reservoir simulation and intelligent analytics",
             ["数值模拟", "人工智能", "产量预测", "reservoir simulation", "AI", "production forecasting"],
             ["6513", "7320"], ["710401"], ["G06F", "G06N"], ["油藏模拟软件", "智能配产"], [10]),
            (M, "数字孪生与装备智能运维", "Digital twins and predictive maintenance",
             ["数字孪生", "预测性维护", "远程运维", "digital twin", "predictive maintenance", "remote O&M"],
             ["6540", "6532"], ["710301"], ["G05B", "G06Q"], ["压裂机组远程监控", "装备健康管理"], [10, 11]),
            (D, "数字油气田生产", "Digital oil and gas field operation",
             ["数字油田", "智能油田", "生产管理", "digital oilfield", "smart field", "production management"],
             ["0711", "0721"], ["750101"], ["E21B", "G06Q"], ["原油", "天然气"], []),
            (D, "油气管道与储运", "Pipelines, storage and transport",
             ["管道", "储运", "管道检测", "pipeline", "storage", "pipeline inspection"],
             ["5720", "5941"], [], ["F17D"], ["管道智能巡检", "储气库运行"], []),
            (D, "油田安全环保监测", "Oilfield safety and environmental monitoring",
             ["安全监测", "环境监测", "泄漏检测", "safety monitoring", "environmental monitoring", "leak detection"],
             ["7461", "7272"], ["760104"], ["G08B", "G01N"], ["气体泄漏监测", "井场视频监控"], []),
        ]),
    dict(
        id="CHN-JM-EQUIP", name_zh="装备制造产业链", name_en="Equipment manufacturing chain", region="4208",
        description=("One of Jingmen's seven leading industries (2018), with parks such as the "
                     "Jingshan Intelligent Manufacturing Industrial Park and the Zhongxiang CNC "
                     "Machine Tool Industrial Park."),
        links=[
            (U, "钢材与铸锻件", "Steel, castings and forgings",
             ["铸件", "锻件", "床身铸件", "casting", "forging", "machine bed"],
             ["3130", "3391", "3393"], ["230402", "640108"], ["B22D", "B21J"], ["床身铸件", "锻件"], [6, 7, 8, 9, 10]),
            (U, "数控系统与伺服驱动", "CNC systems and servo drives",
             ["数控系统", "伺服", "PLC", "CNC system", "servo drive", "PLC"],
             ["4011", "3813"], ["640702"], ["G05B", "H02P"], ["数控系统", "伺服电机", "驱动器"], [6, 7, 8]),
            (U, "机床功能部件", "Machine-tool functional components",
             ["丝杠", "导轨", "主轴", "刀库", "ball screw", "linear guide", "spindle"],
             ["3425", "3451"], ["640101"], ["B23Q", "F16C"], ["滚珠丝杠", "直线导轨", "电主轴"], [6]),
            (U, "液压气动元件", "Hydraulic and pneumatic components",
             ["液压", "气动", "液压阀", "hydraulics", "pneumatics", "valve"],
             ["3444", "3446"], ["640602"], ["F15B"], ["液压阀", "气缸"], [6, 7, 10]),
            (U, "轴承齿轮与传动件", "Bearings, gears and transmission parts",
             ["轴承", "齿轮", "减速器", "bearing", "gear", "reducer"],
             ["3451", "3453"], ["640106"], ["F16C", "F16H"], ["轴承", "精密减速器"], [7, 8, 9, 10]),
            (M, "数控机床", "CNC machine tools",
             ["数控机床", "加工中心", "龙门铣", "CNC machine tool", "machining centre", "gantry mill"],
             ["3421", "3422"], ["640101"], ["B23Q", "B23B", "B23C"], ["立式加工中心", "龙门加工中心", "数控车床"], [11]),
            (M, "智能包装与印刷机械", "Smart packaging and printing machinery",
             ["包装机械", "纸箱设备", "印刷机械", "packaging machinery", "corrugated box line", "printing press"],
             ["3467", "3542"], ["640208"], ["B65B", "B41F", "B31B"], ["瓦楞纸板生产线", "印刷开槽机"], [12]),
            (M, "工业机器人与自动化产线", "Industrial robots and automated lines",
             ["工业机器人", "自动化产线", "智能装备", "industrial robot", "automation line", "smart equipment"],
             ["3491", "3499"], ["640701", "640704"], ["B25J", "G05B"], ["焊接机器人", "自动化装配线"], [11, 14]),
            (M, "汽车及零部件", "Automobiles and parts",
             ["汽车", "整车", "零部件", "automobile", "vehicle", "auto parts"],
             ["3611", "3670"], ["280502", "280205"], ["B62D", "B60R"], ["SUV整车", "汽车零部件"], []),
            (M, "农业机械", "Agricultural machinery",
             ["农机", "收获机", "插秧机", "agricultural machinery", "harvester", "rice transplanter"],
             ["3572", "3576"], ["640207"], ["A01B", "A01D", "A01C"], ["收割机", "插秧机", "烘干机"], []),
            (D, "模具与精密零件加工", "Moulds and precision parts machining",
             ["模具", "精密加工", "汽车模具", "mould", "precision machining", "automotive die"],
             ["3525", "3484"], ["640108"], ["B21D", "B29C"], ["汽车覆盖件模具", "精密零件"], []),
            (D, "纸包装与印刷", "Paper packaging and printing",
             ["纸箱", "瓦楞纸板", "包装印刷", "carton", "corrugated board", "packaging printing"],
             ["2231", "2319"], ["360205", "360202"], ["B31B", "B65D"], ["瓦楞纸箱", "彩印包装"], []),
            (D, "装备维修与再制造服务", "Equipment repair and remanufacturing",
             ["维修", "再制造", "改造", "repair", "remanufacturing", "retrofit"],
             ["4320", "4330"], ["640209"], ["B23P"], ["机床大修", "设备改造"], []),
            (D, "工业互联网与智能制造解决方案", "Industrial internet and smart manufacturing solutions",
             ["工业互联网", "MES", "智能工厂", "industrial internet", "MES", "smart factory"],
             ["6531", "6532"], ["710301"], ["G05B", "G06Q"], ["MES系统", "设备联网平台"], []),
        ]),
    dict(
        id="CHN-JM-NEWENERGY", name_zh="新能源新材料产业链", name_en="New energy and new materials chain",
        region="4208",
        description=("One of Jingmen's seven leading industries, with output growth above 14% "
                     "(2018): battery raw materials, cathode/anode/electrolyte materials, "
                     "lithium batteries and their applications."),
        links=[
            (U, "锂钴镍资源与冶炼", "Lithium, cobalt and nickel resources and smelting",
             ["锂", "钴", "镍", "冶炼", "lithium", "cobalt", "nickel", "smelting"],
             ["3213", "3239"], ["240601", "240602", "240603"], ["C22B", "C01D"], ["碳酸锂", "硫酸钴", "硫酸镍"], [4, 6]),
            (U, "磷化工与电池级化学品", "Phosphorus chemicals and battery-grade chemicals",
             ["磷酸铁", "六氟磷酸锂", "电池级", "iron phosphate", "LiPF6", "battery grade"],
             ["2613", "2619"], ["220802", "630702"], ["C01B"], ["磷酸铁", "六氟磷酸锂"], [4, 6]),
            (U, "石墨与碳材料", "Graphite and carbon materials",
             ["石墨", "针状焦", "碳材料", "graphite", "needle coke", "carbon material"],
             ["3091", "1092"], ["220901"], ["C01B"], ["天然石墨", "针状焦"], [5]),
            (M, "正极材料与前驱体", "Cathode materials and precursors",
             ["正极材料", "三元前驱体", "磷酸铁锂", "cathode material", "NCM precursor", "LFP"],
             ["3985"], ["630702"], ["H01M", "C01D"], ["三元前驱体", "三元正极", "磷酸铁锂"], [7]),
            (M, "负极材料", "Anode materials",
             ["负极材料", "人造石墨", "硅碳", "anode material", "artificial graphite", "silicon-carbon"],
             ["3985", "3091"], ["630702"], ["H01M"], ["人造石墨负极", "硅碳负极"], [7]),
            (M, "电解液与隔膜", "Electrolytes and separators",
             ["电解液", "隔膜", "锂盐", "electrolyte", "separator", "lithium salt"],
             ["3985", "2921"], ["630702", "220505"], ["H01M"], ["电解液", "湿法隔膜"], [7]),
            (M, "动力与储能锂电池", "Traction and energy-storage lithium batteries",
             ["锂电池", "动力电池", "储能电池", "lithium battery", "traction battery", "ESS battery"],
             ["3841"], ["630701"], ["H01M"], ["动力电池", "储能电池", "电池模组"], [10, 11]),
            (M, "电池管理与储能变流系统", "Battery management and power conversion systems",
             ["BMS", "储能变流器", "PCS", "battery management", "power conversion", "inverter"],
             ["3824", "3829"], ["630503", "630803"], ["H02J", "H01M"], ["BMS", "储能变流器"], [10, 11]),
            (M, "高分子新材料", "Polymer new materials",
             ["改性塑料", "高分子材料", "复合材料", "modified plastics", "polymer", "composite"],
             ["2651", "2929"], ["220503", "220504"], ["C08L", "C08K"], ["改性塑料", "复合材料"], [10]),
            (D, "新能源汽车", "New energy vehicles",
             ["新能源汽车", "电动汽车", "换电", "NEV", "electric vehicle", "battery swap"],
             ["3612"], ["280501"], ["B60L"], ["纯电动汽车", "插电混动汽车"], [12]),
            (D, "储能电站与电网应用", "Energy-storage stations and grid applications",
             ["储能电站", "削峰填谷", "电网", "energy storage station", "peak shaving", "grid"],
             ["4419", "4420"], ["410110"], ["H02J"], ["电网侧储能", "工商业储能"], [12]),
            (D, "动力电池梯次利用与回收", "Battery second life and recycling",
             ["梯次利用", "电池回收", "湿法冶金", "second-life", "battery recycling", "hydrometallurgy"],
             ["4210"], ["760103"], ["H01M", "C22B"], ["梯次储能产品", "再生钴镍锂"], []),
        ]),
    dict(
        id="CHN-JM-CHEM", name_zh="化工产业链", name_en="Chemical industry chain", region="4208",
        description=("One of Jingmen's seven leading industries (2018): refining, phosphorus and "
                     "salt chemicals, fertilizers, synthetic materials, fine chemicals and "
                     "industrial explosives."),
        links=[
            (U, "磷矿与化学矿开采", "Phosphate rock and chemical minerals",
             ["磷矿", "化学矿", "选矿", "phosphate rock", "chemical mineral", "beneficiation"],
             ["1020"], ["220802"], ["B03B", "C01B"], ["磷矿石", "磷精矿"], [5, 6]),
            (U, "原油加工与炼油", "Crude oil processing and refining",
             ["炼油", "原油加工", "石脑油", "refining", "crude processing", "naphtha"],
             ["2511"], ["750301"], ["C10G"], ["石脑油", "液化气", "成品油"], [7, 8]),
            (U, "盐化工与氯碱", "Salt chemicals and chlor-alkali",
             ["采盐", "氯碱", "烧碱", "salt", "chlor-alkali", "caustic soda"],
             ["1030", "2612"], ["220202"], ["C25B", "C01D"], ["原盐", "烧碱", "液氯"], [7, 9]),
            (U, "煤与合成气", "Coal and synthesis gas",
             ["煤制气", "合成气", "合成氨", "coal gasification", "syngas", "ammonia"],
             ["2522"], ["220205"], ["C10J", "C01C"], ["合成气", "合成氨"], [6, 7, 10]),
            (M, "磷化工与磷肥", "Phosphorus chemicals and phosphate fertilizers",
             ["磷酸", "磷肥", "磷酸一铵", "phosphoric acid", "phosphate fertilizer", "MAP"],
             ["2611", "2622"], ["220802"], ["C05B", "C01B"], ["湿法磷酸", "磷酸一铵", "磷酸二铵"], [6, 11]),
            (M, "复合肥与新型肥料", "Compound and new-type fertilizers",
             ["复合肥", "缓释肥", "水溶肥", "compound fertilizer", "slow-release fertilizer", "water-soluble fertilizer"],
             ["2624", "2625"], ["220805"], ["C05G", "C05B"], ["复合肥", "缓控释肥"], [11]),
            (M, "基础有机化工原料", "Basic organic chemicals",
             ["有机化工", "芳烃", "烯烃", "organic chemicals", "aromatics", "olefins"],
             ["2614"], ["220204"], ["C07C"], ["苯", "丙烯", "甲醇"], [8, 9]),
            (M, "合成树脂与合成橡胶", "Synthetic resins and rubbers",
             ["合成树脂", "聚丙烯", "合成橡胶", "synthetic resin", "polypropylene", "synthetic rubber"],
             ["2651", "2652"], ["220504"], ["C08F"], ["聚丙烯", "聚乙烯"], [13]),
            (M, "精细化工与专用化学品", "Fine and specialty chemicals",
             ["精细化工", "助剂", "中间体", "fine chemicals", "additives", "intermediates"],
             ["2661", "2662"], ["220309"], ["C07D", "C09K"], ["化学助剂", "医药中间体"], [13]),
            (M, "民爆化工", "Industrial explosives",
             ["民爆", "工业炸药", "雷管", "civil explosives", "industrial explosive", "detonator"],
             ["2671"], ["220307"], ["C06B", "F42D"], ["乳化炸药", "工业雷管"], [12]),
            (D, "农业生产与农资流通", "Agriculture and farm-input distribution",
             ["农资", "化肥流通", "测土配方", "farm inputs", "fertilizer distribution", "soil testing"],
             ["5166"], ["450201"], ["C05G"], ["化肥分销", "测土配方施肥服务"], []),
            (D, "矿山与工程爆破服务", "Mining and engineering blasting",
             ["爆破", "矿山开采", "爆破工程", "blasting", "mining", "blasting engineering"],
             ["1190", "4840"], ["220307"], ["F42D"], ["露天矿爆破", "工程爆破"], []),
            (D, "塑料制品与化学品应用", "Plastic products and chemical applications",
             ["塑料制品", "薄膜", "管材", "plastic products", "film", "pipe"],
             ["2921", "2922", "2929"], ["220501"], ["B29C"], ["塑料薄膜", "塑料管材"], []),
            (D, "化工园区安全环保服务", "Chemical park safety and environmental services",
             ["安全环保", "危废处置", "废气治理", "safety", "hazardous waste", "waste gas treatment"],
             ["7724", "7722"], ["760104"], ["B01D", "C02F"], ["危废处置", "VOCs治理"], []),
        ]),
    dict(
        id="CHN-JM-AGRI", name_zh="农产品精深加工产业链", name_en="Deep processing of agricultural products chain",
        region="4208",
        description=("One of Jingmen's seven leading industries. The Shayang green food and "
                     "Qujialing ecological agricultural products processing cluster has four "
                     "processing parks, more than 470 enterprises and seven industrial chains, "
                     "over 9 million mu of production bases and drives more than 200,000 farmers; "
                     "its output exceeded 130 billion yuan in 2017, 40% of the city's industrial "
                     "output. Linked to the 'China Agricultural Valley' strategy."),
        links=[
            (U, "优质稻与良种繁育", "Quality rice and seed breeding",
             ["优质稻", "良种", "水稻种植", "quality rice", "seed breeding", "rice growing"],
             ["0111", "0511"], ["110101", "110102"], ["A01H", "A01G"], ["优质稻谷", "水稻良种"], [6, 12]),
            (U, "油菜等油料种植", "Rapeseed and oil crops",
             ["油菜", "油料", "双低油菜", "rapeseed", "oil crops", "canola"],
             ["0122"], ["110103"], ["A01H"], ["油菜籽"], [7]),
            (U, "生猪与家禽养殖", "Pig and poultry farming",
             ["生猪", "家禽", "蛋鸡", "pig farming", "poultry", "layer hens"],
             ["0313", "0321"], ["110702", "110703"], ["A01K"], ["生猪", "肉禽", "鲜蛋"], [8]),
            (U, "饲料与农业投入品", "Feed and farm inputs",
             ["饲料", "肥料", "农资", "feed", "fertilizer", "farm inputs"],
             ["1329", "2624"], ["110402", "220805"], ["A23K", "C05G"], ["配合饲料", "复合肥"], [1, 2, 3]),
            (U, "农机与烘干仓储", "Farm machinery, drying and storage",
             ["农机", "粮食烘干", "仓储", "farm machinery", "grain drying", "storage"],
             ["3572", "5951"], ["640207"], ["A01D", "F26B"], ["收割机", "烘干机", "粮仓"], [6, 7]),
            (M, "稻米加工", "Rice milling",
             ["大米加工", "稻米", "碾米", "rice milling", "rice", "polishing"],
             ["1311"], ["110502"], ["B02B"], ["大米", "富硒米", "米糠"], [9, 12, 14]),
            (M, "食用植物油加工", "Edible vegetable oil processing",
             ["菜籽油", "压榨", "精炼", "rapeseed oil", "pressing", "refining"],
             ["1331"], ["110502"], ["C11B"], ["菜籽油", "菜籽粕"], [13, 14]),
            (M, "肉制品与禽蛋加工", "Meat and egg processing",
             ["屠宰", "肉制品", "蛋品", "slaughtering", "meat products", "egg products"],
             ["1351", "1353", "1393"], ["340401"], ["A22C", "A23L", "A23B"], ["冷鲜肉", "肉制品", "蛋制品"], [13, 14]),
            (M, "米面制品与休闲食品", "Rice and flour products and snack foods",
             ["米制品", "休闲食品", "米粉", "rice products", "snack foods", "rice noodles"],
             ["1431", "1419"], ["340801", "340404"], ["A23L"], ["米粉", "锅巴", "方便米饭"], [13, 14]),
            (M, "酒类与饮料", "Liquor and beverages",
             ["白酒", "饮料", "酿造", "baijiu", "beverages", "brewing"],
             ["1512", "1529"], ["340501", "340701"], ["C12G"], ["白酒", "植物饮料"], [14]),
            (M, "中药材加工（柴胡等）", "Medicinal herb processing (bupleurum etc.)",
             ["柴胡", "中药材", "饮片", "bupleurum", "medicinal herbs", "decoction pieces"],
             ["0171", "2730"], ["370201"], ["A61K"], ["柴胡饮片", "中药材初加工品"], [14]),
            (M, "农副产品综合利用", "By-product utilisation",
             ["稻壳", "米糠", "秸秆", "淀粉", "rice husk", "rice bran", "straw", "starch"],
             ["1391", "1399"], ["110504"], ["A23L", "C08B"], ["米糠油", "淀粉", "生物质燃料"], [14]),
            (D, "冷链物流与仓储", "Cold-chain logistics and storage",
             ["冷链", "冷藏", "仓储物流", "cold chain", "refrigerated transport", "warehousing"],
             ["5930", "5432"], ["420806"], ["F25D"], ["冷库", "冷藏运输"], [14]),
            (D, "商超与电商销售", "Supermarket and e-commerce sales",
             ["商超", "电商", "农产品销售", "supermarket", "e-commerce", "agri-product sales"],
             ["5212", "5292"], ["450302", "450601"], ["G06Q"], ["线上旗舰店", "商超专柜"], []),
            (D, "品牌营销与食品检测", "Branding and food testing",
             ["品牌", "地理标志", "食品检测", "branding", "geographical indication", "food testing"],
             ["7452", "7259"], ["460802"], ["G01N"], ["区域公用品牌", "食品安全检测"], []),
        ]),
    dict(
        id="CHN-JM-EINFO", name_zh="电子信息产业链", name_en="Electronic information chain", region="4208",
        description=("One of Jingmen's seven leading industries, with output growth above 14% "
                     "(2018): electronic materials and components, circuit boards, modules and "
                     "terminals, and information services."),
        links=[
            (U, "电子专用材料", "Electronic materials",
             ["覆铜板", "铜箔", "电子化学品", "copper clad laminate", "copper foil", "electronic chemicals"],
             ["3985"], ["270601"], ["H05K", "C23C"], ["覆铜板", "电子铜箔"], [4]),
            (U, "半导体器件与集成电路", "Semiconductor devices and ICs",
             ["芯片", "分立器件", "集成电路", "chip", "discrete device", "integrated circuit"],
             ["3972", "3973"], ["270102", "270106"], ["H01L"], ["功率器件", "MCU"], [5, 6, 7]),
            (U, "电子元件", "Passive electronic components",
             ["电阻", "电容", "电感", "resistor", "capacitor", "inductor"],
             ["3981"], ["270203"], ["H01G"], ["片式电容", "电感"], [5]),
            (M, "印制电路板", "Printed circuit boards",
             ["PCB", "线路板", "柔性板", "PCB", "circuit board", "flexible board"],
             ["3982"], ["270202"], ["H05K"], ["多层板", "柔性线路板"], [5]),
            (M, "电子组装与模组", "Electronics assembly and modules",
             ["SMT", "模组", "EMS", "SMT", "module", "contract manufacturing"],
             ["3990", "3982"], ["270504"], ["H05K"], ["控制模组", "电源模块"], [6, 11]),
            (M, "智能终端与消费电子", "Smart terminals and consumer electronics",
             ["智能终端", "手机", "可穿戴", "smart terminal", "mobile phone", "wearable"],
             ["3922", "3961"], ["270503", "730206"], ["H04M", "G06F"], ["智能手机", "智能手表"], [9, 10]),
            (M, "光电显示与照明器件", "Display and lighting devices",
             ["显示屏", "LED", "背光", "display", "LED", "backlight"],
             ["3974", "3975"], ["270301", "270302"], ["H01L", "G09F"], ["LED显示屏", "背光模组"], [6]),
            (M, "线缆与连接器", "Cables and connectors",
             ["线缆", "连接器", "数据线", "cable", "connector", "data cable"],
             ["3831", "3989"], ["630805"], ["H01B", "H01R"], ["通信线缆", "连接器"], [6, 12]),
            (D, "软件与信息技术服务", "Software and IT services",
             ["软件开发", "系统集成", "信息服务", "software", "system integration", "IT services"],
             ["6513", "6531"], ["710401", "710301"], ["G06F"], ["应用软件", "系统集成"], []),
            (D, "数据中心与云服务", "Data centres and cloud services",
             ["数据中心", "云计算", "大数据", "data centre", "cloud", "big data"],
             ["6450", "6550"], ["710301"], ["G06F"], ["云主机", "数据存储服务"], []),
            (D, "工业互联网应用", "Industrial internet applications",
             ["工业互联网", "设备联网", "数字化车间", "industrial internet", "connected equipment", "digital workshop"],
             ["6532"], ["710301"], ["G05B", "G06Q"], ["设备联网平台"], []),
            (D, "通信网络运营与工程", "Telecom operation and network engineering",
             ["5G", "通信工程", "网络运营", "5G", "telecom engineering", "network operation"],
             ["6312", "4851"], ["730102", "730103"], ["H04B", "H04L"], ["5G基站建设", "网络维护"], []),
        ]),
    dict(
        id="CHN-JM-RECYCLE", name_zh="再生资源利用与制造产业链",
        name_en="Renewable resources utilization and manufacturing chain", region="4208",
        description=("One of Jingmen's seven leading industries, with output growth above 14% "
                     "(2018): collection of waste batteries, electronics, scrap vehicles and "
                     "plastics, dismantling, recovery of cobalt, nickel and other metals, and "
                     "remanufactured materials."),
        links=[
            (U, "废旧电池与电子废弃物回收", "Waste battery and e-waste collection",
             ["废旧电池", "电子废弃物", "回收网络", "spent battery", "e-waste", "collection network"],
             ["5191"], ["760103"], ["B09B", "H01M"], ["废旧锂电池", "废电路板"], [5]),
            (U, "报废汽车与废钢回收", "End-of-life vehicles and scrap steel",
             ["报废汽车", "废钢", "拆解", "end-of-life vehicle", "scrap steel", "dismantling"],
             ["5191", "4210"], ["760103"], ["B09B"], ["废钢", "废有色金属"], [5, 7]),
            (U, "废塑料与废纸回收", "Waste plastics and paper collection",
             ["废塑料", "废纸", "分拣", "waste plastics", "waste paper", "sorting"],
             ["5191", "4220"], ["760103"], ["B29B"], ["废塑料", "废纸"], [8]),
            (U, "回收分选装备", "Recycling and sorting equipment",
             ["破碎", "分选", "环保装备", "shredding", "sorting", "environmental equipment"],
             ["3591"], ["760201"], ["B02C", "B07B", "B03B"], ["破碎机", "分选机"], [5]),
            (M, "拆解与预处理", "Dismantling and pretreatment",
             ["拆解", "破碎", "预处理", "dismantling", "crushing", "pretreatment"],
             ["4210", "4220"], ["760103"], ["B09B", "B02C"], ["电池黑粉", "金属碎料"], [6, 7]),
            (M, "钴镍钨等金属再生冶炼", "Recycled cobalt, nickel and tungsten metallurgy",
             ["钴", "镍", "钨", "湿法冶金", "cobalt", "nickel", "tungsten", "hydrometallurgy"],
             ["3213", "3231"], ["240601", "240602", "240502"], ["C22B"], ["再生钴", "再生镍", "碳化钨"], [9, 11]),
            (M, "再生钢铁与有色金属", "Recycled steel and non-ferrous metals",
             ["电炉钢", "再生铜", "再生铝", "EAF steel", "recycled copper", "recycled aluminium"],
             ["3120", "3211", "3216"], ["230401", "240302", "240301"], ["C22B", "C21C"], ["电炉钢", "再生铝锭"], [11]),
            (M, "再生塑料造粒与改性", "Recycled plastic pelletising and compounding",
             ["再生塑料", "造粒", "改性", "recycled plastics", "pelletising", "compounding"],
             ["2929", "4220"], ["220503"], ["B29B"], ["再生塑料粒子"], []),
            (M, "超细粉体与电池材料再造", "Ultrafine powders and remade battery materials",
             ["超细粉体", "前驱体", "正极材料", "ultrafine powder", "precursor", "cathode material"],
             ["3985", "3240"], ["240201", "630702"], ["B22F", "H01M"], ["超细钴粉", "三元前驱体"], [10, 11]),
            (D, "动力电池与新能源材料应用", "Battery and new-energy material users",
             ["动力电池", "新能源材料", "电池制造", "traction battery", "new-energy materials", "cell manufacturing"],
             ["3841"], ["630701"], ["H01M"], ["动力电池", "储能电池"], []),
            (D, "硬质合金与高端合金制造", "Cemented carbide and advanced alloys",
             ["硬质合金", "高温合金", "刀具", "cemented carbide", "superalloy", "cutting tool"],
             ["3240", "3321"], ["240201", "640101"], ["C22C", "B22F"], ["硬质合金刀具", "合金粉末"], []),
            (D, "固废处置与环境服务", "Solid waste disposal and environmental services",
             ["固废处置", "危废", "环境服务", "solid waste", "hazardous waste", "environmental services"],
             ["7723", "7724"], ["760103"], ["B09B"], ["危废处置", "固废填埋"], []),
        ]),
    dict(
        id="CHN-JM-HEALTH", name_zh="大健康产业链", name_en="Great health chain", region="4208",
        description=("One of Jingmen's seven leading industries, with output growth above 14% "
                     "(2018): medicinal herbs (the 'Bupleurum revitalization' strategy), "
                     "pharmaceuticals, medical devices, health foods and care services."),
        links=[
            (U, "中药材种植（柴胡等）", "Medicinal herb growing (bupleurum etc.)",
             ["柴胡", "中药材种植", "道地药材", "bupleurum", "herb growing", "authentic herbs"],
             ["0171"], ["110103"], ["A01G", "A01H"], ["柴胡", "中药材"], [5, 9]),
            (U, "原料药与医药中间体", "APIs and pharmaceutical intermediates",
             ["原料药", "中间体", "API", "API", "intermediate", "synthesis"],
             ["2710"], ["370101"], ["C07D", "C07C"], ["原料药", "医药中间体"], [6]),
            (U, "药用辅料与包装材料", "Pharmaceutical excipients and packaging",
             ["药用辅料", "药包材", "胶囊", "excipient", "pharmaceutical packaging", "capsule"],
             ["2780"], ["370503"], ["A61J", "B65D"], ["药用胶囊", "药用玻璃瓶"], [5, 6, 7]),
            (U, "医用材料与耗材", "Medical materials and consumables",
             ["医用材料", "敷料", "耗材", "medical materials", "dressings", "consumables"],
             ["2770", "2915"], ["370503"], ["A61L", "A61F"], ["医用敷料", "医用手套"], [8, 11]),
            (M, "中药饮片与中成药", "TCM decoction pieces and patent medicines",
             ["中药饮片", "中成药", "柴胡制剂", "decoction pieces", "Chinese patent medicine", "bupleurum preparation"],
             ["2730", "2740"], ["370201"], ["A61K"], ["柴胡饮片", "中成药"], [10, 11]),
            (M, "化学制剂", "Chemical formulations",
             ["化学药", "制剂", "仿制药", "chemical drugs", "formulations", "generics"],
             ["2720"], ["370102"], ["A61K", "A61P"], ["片剂", "注射剂"], [10, 11]),
            (M, "生物制品与疫苗", "Biologics and vaccines",
             ["生物药", "疫苗", "抗体", "biologics", "vaccine", "antibody"],
             ["2761", "2762"], ["370304", "370303"], ["C12N", "A61K"], ["疫苗", "重组蛋白"], [10, 11]),
            (M, "医疗器械与体外诊断", "Medical devices and in-vitro diagnostics",
             ["医疗器械", "体外诊断", "监护设备", "medical devices", "IVD", "patient monitoring"],
             ["3581", "3584"], ["370502", "370504"], ["A61B", "G01N"], ["监护仪", "诊断试剂"], [10, 11]),
            (M, "保健食品与功能食品", "Health foods and functional foods",
             ["保健食品", "功能食品", "营养品", "health food", "functional food", "nutrition"],
             ["1492", "1491"], ["340407"], ["A23L"], ["保健食品", "营养补充剂"], [10]),
            (D, "医药流通与零售", "Pharmaceutical distribution and retail",
             ["医药流通", "药店", "医药电商", "pharma distribution", "pharmacy", "online pharmacy"],
             ["5151", "5152", "5251"], ["370402", "370403"], ["G06Q"], ["药品配送", "连锁药店"], [11, 12]),
            (D, "医疗服务与健康管理", "Medical services and health management",
             ["医院", "健康体检", "健康管理", "hospital", "health check-up", "health management"],
             ["8411", "8491"], ["370604", "370605"], ["A61B"], ["诊疗服务", "健康体检"], []),
            (D, "康养与养老服务", "Wellness and elderly care",
             ["康养", "养老", "护理", "wellness", "elderly care", "nursing"],
             ["8514", "8053"], ["460701"], ["A61H"], ["养老机构服务", "康复护理"], []),
        ]),
    dict(
        id="CHN-WH-OPTO", name_zh="光电子信息产业链", name_en="Optoelectronic information chain", region="4201",
        description=("Wuhan's optoelectronics chain centred on Wuhan East Lake High-tech Zone "
                     "(Optics Valley of China): optical fibre and cable, optical devices and "
                     "modules, fibre lasers, memory chips, displays, infrared imaging and their "
                     "applications."),
        links=[
            (U, "光纤预制棒与光纤材料", "Optical fibre preforms and materials",
             ["光纤预制棒", "石英", "四氯化硅", "fibre preform", "silica", "silicon tetrachloride"],
             ["3832", "3052"], ["730205"], ["C03B", "C03C"], ["光纤预制棒", "高纯石英管"], [5, 7]),
            (U, "光电子芯片与化合物半导体", "Optoelectronic chips and compound semiconductors",
             ["光芯片", "激光器芯片", "磷化铟", "砷化镓", "optical chip", "laser chip", "InP", "GaAs"],
             ["3976", "3985"], ["270103", "270102"], ["H01L", "H01S"], ["DFB激光器芯片", "探测器芯片", "外延片"], [6, 7, 9]),
            (U, "集成电路与存储芯片", "Integrated circuits and memory chips",
             ["存储芯片", "3D NAND", "集成电路设计", "memory chip", "3D NAND", "IC design"],
             ["3973", "6520"], ["270106", "270104"], ["H01L", "G11C"], ["3D NAND闪存", "驱动芯片"], [8, 10, 14]),
            (U, "半导体与光电制造装备", "Semiconductor and optoelectronic manufacturing equipment",
             ["半导体设备", "拉丝塔", "镀膜设备", "semiconductor equipment", "fibre drawing tower", "coating equipment"],
             ["3562", "3569"], ["270108"], ["H01L", "C23C"], ["光纤拉丝塔", "镀膜机"], [5, 8]),
            (M, "光纤光缆", "Optical fibre and cable",
             ["光纤", "光缆", "特种光纤", "optical fibre", "optical cable", "specialty fibre"],
             ["3832", "3833"], ["730205"], ["G02B", "C03B"], ["单模光纤", "光缆", "特种光纤"], [10, 12]),
            (M, "光器件与光模块", "Optical components and transceiver modules",
             ["光模块", "光器件", "光收发", "optical module", "optical component", "transceiver"],
             ["3976"], ["730204"], ["G02B", "H04B"], ["高速光模块", "光无源器件"], [10, 13]),
            (M, "光纤激光器与激光装备", "Fibre lasers and laser equipment",
             ["光纤激光器", "激光切割", "激光焊接", "fibre laser", "laser cutting", "laser welding"],
             ["3976", "3424"], ["640703"], ["H01S", "B23K"], ["连续光纤激光器", "激光切割机", "激光焊接机"], [15]),
            (M, "新型显示面板", "New display panels",
             ["显示面板", "LTPS", "AMOLED", "display panel", "LTPS", "AMOLED"],
             ["3974"], ["270301"], ["G02F", "G09G"], ["LTPS液晶面板", "柔性AMOLED面板"], [14, 16]),
            (M, "红外热成像与光学仪器", "Infrared imaging and optical instruments",
             ["红外热成像", "红外探测器", "光学仪器", "thermal imaging", "infrared detector", "optical instrument"],
             ["4040", "3976"], ["650501", "270303"], ["G01J", "H04N"], ["红外热像仪", "红外探测器"], [16]),
            (M, "光通信系统设备", "Optical communication systems",
             ["光通信", "光传输", "接入网", "optical communication", "optical transmission", "access network"],
             ["3921"], ["730204"], ["H04B", "H04J"], ["光传输设备", "光接入设备"], [12, 13]),
            (M, "显示与光电检测设备", "Display and optoelectronic test equipment",
             ["检测设备", "面板检测", "半导体测试", "test equipment", "panel inspection", "semiconductor test"],
             ["4028", "3569"], ["640107", "270108"], ["G01N", "G01M"], ["面板检测系统", "测试设备"], [8]),
            (D, "通信网络建设与运营", "Telecom network construction and operation",
             ["5G", "光纤到户", "通信运营", "5G", "FTTH", "telecom operation"],
             ["6311", "6312", "4851"], ["730102", "730103"], ["H04B", "H04L"], ["5G网络", "千兆光网"], []),
            (D, "数据中心与云计算", "Data centres and cloud computing",
             ["数据中心", "云计算", "算力", "data centre", "cloud computing", "computing power"],
             ["6450", "6550"], ["710301"], ["G06F"], ["数据中心", "算力服务"], []),
            (D, "智能终端与消费电子", "Smart terminals and consumer electronics",
             ["智能手机", "笔记本", "消费电子", "smartphone", "laptop", "consumer electronics"],
             ["3922", "3961"], ["270503", "270504"], ["H04M", "G06F"], ["智能手机", "平板电脑"], []),
            (D, "激光智能制造应用", "Laser-based smart manufacturing",
             ["激光加工", "智能制造", "汽车制造", "laser processing", "smart manufacturing", "automotive"],
             ["3360", "3670"], ["640704"], ["B23K"], ["车身激光焊接", "动力电池激光焊"], []),
            (D, "安防与汽车电子应用", "Security and automotive electronics",
             ["安防监控", "车载显示", "夜视", "security surveillance", "in-vehicle display", "night vision"],
             ["3962", "7272"], ["710102", "280206"], ["B60R", "G08B"], ["车载显示屏", "安防热像仪"], []),
        ]),
    dict(
        id="CHN-XN-OPTOGLASS", name_zh="光电子信息产业链（光电玻璃与显示）",
        name_en="Optoelectronic information chain (optoelectronic glass and display)", region="4212",
        description=("Xianning's optoelectronic chain in Xianning High-tech Zone, anchored by "
                     "Xianning CSG Optoelectronic Glass: raw materials, thin electronic glass, "
                     "cover glass, coated glass, display modules and terminal uses."),
        links=[
            (U, "高纯石英砂与硅质原料", "High-purity quartz sand and siliceous materials",
             ["石英砂", "硅质原料", "提纯", "quartz sand", "silica", "purification"],
             ["1099", "1019"], ["220901"], ["C01B", "B03B"], ["高纯石英砂", "低铁硅砂"], [5]),
            (U, "纯碱与玻璃化工原料", "Soda ash and glass chemicals",
             ["纯碱", "氧化铝", "澄清剂", "soda ash", "alumina", "fining agent"],
             ["2612", "2613"], ["220201"], ["C01D"], ["纯碱", "硝酸钾"], [5, 6]),
            (U, "耐火材料与贵金属通道", "Refractories and precious-metal channels",
             ["耐火材料", "铂金通道", "窑炉", "refractory", "platinum channel", "furnace"],
             ["3089", "3253"], ["610301"], ["C04B"], ["锆刚玉砖", "铂铑通道"], [5]),
            (U, "玻璃生产专用装备", "Glass-making equipment",
             ["玻璃装备", "浮法", "溢流下拉", "glass equipment", "float process", "overflow down-draw"],
             ["3546"], ["640209"], ["C03B"], ["成型设备", "退火窑", "切割机"], [5, 6]),
            (M, "超薄电子玻璃原片", "Ultra-thin electronic glass",
             ["超薄玻璃", "电子玻璃", "高铝玻璃", "ultra-thin glass", "electronic glass", "aluminosilicate glass"],
             ["3042"], ["610201"], ["C03B", "C03C"], ["超薄电子玻璃", "高铝硅酸盐玻璃"], [6, 7]),
            (M, "盖板玻璃与化学强化", "Cover glass and chemical strengthening",
             ["盖板玻璃", "化学强化", "触摸屏玻璃", "cover glass", "chemical strengthening", "touch-screen glass"],
             ["3042", "3051"], ["610201"], ["C03C"], ["手机盖板玻璃", "车载盖板"], [8, 10, 11]),
            (M, "ITO导电膜玻璃与镀膜", "ITO conductive glass and coatings",
             ["ITO玻璃", "镀膜", "导电膜", "ITO glass", "coating", "conductive film"],
             ["3051", "3985"], ["270303", "270601"], ["C03C", "C23C"], ["ITO导电膜玻璃", "减反射镀膜玻璃"], [8]),
            (M, "显示与触控模组", "Display and touch modules",
             ["显示模组", "触控", "贴合", "display module", "touch panel", "lamination"],
             ["3974"], ["270301"], ["G02F", "G06F"], ["触控显示模组", "液晶模组"], [10, 11, 12]),
            (M, "光学玻璃与光学元件", "Optical glass and optical elements",
             ["光学玻璃", "镜片", "滤光片", "optical glass", "lens", "optical filter"],
             ["3052", "4040"], ["270303"], ["G02B", "C03C"], ["光学镜片", "滤光片"], [10, 11]),
            (D, "智能手机与平板终端", "Smartphones and tablets",
             ["智能手机", "平板电脑", "终端", "smartphone", "tablet", "device"],
             ["3922", "3919"], ["270503"], ["H04M", "G06F"], ["智能手机", "平板电脑"], []),
            (D, "车载显示与智能座舱", "In-vehicle displays and smart cockpits",
             ["车载显示", "智能座舱", "中控屏", "in-vehicle display", "smart cockpit", "centre console"],
             ["3962"], ["280206"], ["G09G", "B60R"], ["车载中控屏", "仪表屏"], []),
            (D, "家电与工控显示", "Appliance and industrial-control displays",
             ["家电显示", "工控屏", "人机界面", "appliance display", "industrial display", "HMI"],
             ["3951", "3914"], ["330201", "640702"], ["G09G"], ["家电显示面板", "工控触摸屏"], []),
        ]),
]


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
    "chain": ["name_zh", "name_en", "region", "description", "industry_codes"],
    "link": ["chain", "parent", "segment", "name_zh", "name_en", "keywords", "industry_codes",
             "sw_codes", "ipc", "products", "position", "upstream_of"],
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


def build_chains(data):
    gb = {r["code"] for r in read_csv(os.path.join(data, "gbt4754_2017_industry", "gbt4754_2017.csv"))
          if r["level"] == "4"}
    sw = {r["code"]: r["name"] for r in read_jsonl(os.path.join(data, "chainkg", "industry.json"))}
    ipc = set()
    with open(os.path.join(data, "ipc_scheme_en", "ipc_core_2006.tsv"), encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) > 1 and parts[1] == "subclass":
                ipc.add(parts[0])
    chains, links = [], []
    for ch in CHAINS:
        slug = ch["id"][len("CHN-"):]
        lids = ["LNK-%s-%02d" % (slug, i + 1) for i in range(len(ch["links"]))]
        pos = defaultdict(int)
        mid_codes = []
        for i, (seg, zh, en, kw, gbc, swc, ipcs, prods, ups) in enumerate(ch["links"]):
            for c in gbc:
                if c not in gb:
                    sys.exit("%s: GB/T class %s not in GB/T 4754-2017" % (lids[i], c))
            for c in swc:
                if c not in sw:
                    sys.exit("%s: Shenwan code %s unknown" % (lids[i], c))
            for c in ipcs:
                if c not in ipc:
                    sys.exit("%s: IPC subclass %s not in IPC core 2006" % (lids[i], c))
            if not 4 <= len(kw) <= 10:
                sys.exit("%s: %d keywords" % (lids[i], len(kw)))
            for u in ups:
                if not 1 <= u <= len(lids) or u == i + 1:
                    sys.exit("%s: bad upstream_of %s" % (lids[i], u))
            pos[seg] += 1
            if seg == M:
                mid_codes += [c for c in gbc if c not in mid_codes]
            links.append(OrderedDict(id=lids[i], chain=ch["id"], segment=seg, name_zh=zh, name_en=en,
                                     keywords=kw, industry_codes=gbc, sw_codes=swc, ipc=ipcs,
                                     products=prods, position=pos[seg],
                                     upstream_of=[lids[u - 1] for u in ups]))
        chains.append(OrderedDict(id=ch["id"], name_zh=ch["name_zh"], name_en=ch["name_en"],
                                  region=ch["region"], description=ch["description"],
                                  industry_codes=mid_codes))
    return chains, links, sw


def crosscheck_up(data, links, sw):
    """Count upstream_of relations confirmed by chainkg's industry_up.json:
    a relation A -> B counts when a Shenwan industry of A is listed among the
    upstream industries of a Shenwan industry of B."""
    ups = {}
    for r in read_jsonl(os.path.join(data, "chainkg", "industry_up.json")):
        ups[r["industry"]] = set(r["ups"])
    by_id = {l["id"]: l for l in links}
    total = covered = confirmed = 0
    hits = []
    for a in links:
        for bid in a["upstream_of"]:
            b = by_id[bid]
            total += 1
            a_names = {sw[c] for c in a["sw_codes"]}
            b_names = [sw[c] for c in b["sw_codes"] if sw[c] in ups]
            if not a_names or not b_names:
                continue
            covered += 1
            if any(a_names & ups[n] for n in b_names):
                confirmed += 1
                hits.append((a["id"], bid))
    return total, covered, confirmed, hits


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()

    regions = build_regions(args.data)
    city_codes = {r["name_zh"]: r["id"] for r in regions if r["level"] in ("city", "province")}
    orgs = build_universities(args.data, city_codes) + build_companies(args.data) + list(HAND_ORGS)
    chains, links, sw = build_chains(args.data)
    indicators = list(INDICATORS)

    files = [("region", regions), ("organization", orgs), ("chain", chains), ("link", links),
             ("indicator", indicators)]
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
    total, covered, confirmed, _hits = crosscheck_up(args.data, links, sw)
    print("upstream_of relations: %d; both ends in industry_up.json: %d; confirmed there: %d"
          % (total, covered, confirmed))


if __name__ == "__main__":
    main()
