#!/usr/bin/env bash
# innolink deal, docking, renew and figures through the real binary on a
# database with the demo data: a deal's life with a conflict and an illegal
# move, the registration export as CSV and XLSX, the docking pipeline with
# the clock pinned by INNOLINK_NOW, renewal, and the figures.
. "$(dirname "$0")/lib.sh"
export INNOLINK_DB="$T/trade.db"
export INNOLINK_NOW=2025-01-01T00:00:00Z
run "$IL" init --demo
check_status 0 "init --demo"

for c in deal docking audit renew figures; do
	check_contains "$(cat "$SRC/../docs/innolink.1")" ".B $c" "the man page describes '$c'"
	run "$IL" "$c" --help
	check_contains "$out" "usage: innolink $c" "$c --help"
done

run "$IL" deal new --title 钻井泵柱塞耐磨涂层技术许可 --type licence --licence exclusive \
	--buyer CO-601869 --seller UNI-4142010487 --amount 120 --demand DEM-N-0001 --by 张三
check_status 0 "deal new"
check_contains "$out" "DEA-1" "the new deal gets an id"
run "$IL" deal new --title x --type licence --licence golden --buyer CO-601869
check_status 2 "an unknown licence kind is a usage error"
check_contains "$err" "golden" "naming the value"
run "$IL" deal new --title x --type transfer --buyer NOBODY
check_status 1 "a party that does not exist"
check_contains "$err" "NOBODY" "is named"

run "$IL" deal move DEA-1 signed
check_status 1 "intent cannot jump to signed"
check_contains "$err" "is 'intent': it can move to negotiation or terminated" \
	"the error names the state and the allowed moves"
run "$IL" deal move DEA-1 negotiation --version 1 --by alice
check_status 0 "alice moves version 1"
run "$IL" deal move DEA-1 terminated --version 1 --by bob
check_status 1 "bob, who also saw version 1, gets a conflict"
check_contains "$err" "you saw version 1, it is now version 2" "saying which versions"
run "$IL" deal move DEA-1 签约 --version 2
check_status 2 "a state that does not exist"
run "$IL" deal move DEA-1 已签约 --version 2
check_status 0 "a Chinese state label is understood"
run "$IL" deal milestone DEA-1 --title 首付款 --due 2025-02-30 --amount 40
check_status 1 "a milestone with an impossible date"
run "$IL" deal milestone DEA-1 --title 首付款 --due 2025-03-01 --amount 40
check_status 0 "a milestone"
run "$IL" deal show DEA-1 --json
check_eq "$(json 'j["deal"]["state"], j["deal"]["signed"], j["allowed"]')" \
	"signed 2025-01-01 ['registered', 'terminated']" "signed today, with the next moves"
check_eq "$(json '[(a["op"], a["actor"]) for a in j["audit"]]')" \
	"[('create', 'cli:张三'), ('update', 'cli:alice'), ('update', 'cli'), ('update', 'cli')]" \
	"the audit trail names who made each change (the milestone too)"
check_eq "$(json 'j["milestones"][0]["title"], j["milestones"][0]["amount"]')" "首付款 40.0" \
	"the milestone"
run "$IL" deal milestone DEA-1 --paid 1 --date 2025-03-02 --by 财务
check_status 0 "the milestone is paid"
run "$IL" deal show DEA-1
check_contains "$out" "1. 首付款  due 到期 2025-03-01  40 万元  paid 已付 2025-03-02" "deal show lists it"
check_contains "$out" "update v5  cli:财务" "and the payment is in the audit trail"
run "$IL" deal milestone DEA-1 --paid 2
check_status 1 "there is no second milestone"
run "$IL" deal new --title 咨询 --type consulting --buyer CO-601869
run "$IL" deal list --json
check_eq "$(printf '%s\n' "$out" | wc -l)" "2" "deal list shows both deals"

run "$IL" deal export --registration --out "$T/reg.csv"
check_status 0 "registration export as CSV"
check_contains "$err" "wrote 1 signed deals" "only the signed deal is registered"
check_eq "$(sed -n 1p "$T/reg.csv" | tr -d '\357\273\277\r')" \
	"contract_no,registration_no,title,type,licence,buyer,buyer_region,seller,seller_region,amount,currency,signed,starts,ends,achievement,patent_no,state,registered" \
	"the documented columns"
check_contains "$(sed -n 2p "$T/reg.csv")" "DEA-1,,钻井泵柱塞耐磨涂层技术许可,licence,exclusive licence" "the deal's row"
check_contains "$(sed -n 2p "$T/reg.csv")" "华中科技大学" "the seller by name"
run "$IL" deal export --registration --out "$T/reg.xlsx" --zh-headers
check_status 0 "registration export as XLSX"
check_contains "$(python3 -c 'import sys,zipfile; print(zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode())' "$T/reg.xlsx")" \
	"合同成交额(万元)" "with Chinese headers"
run "$IL" deal export --out "$T/x.csv"
check_status 2 "export without --registration is a usage error"

# the docking pipeline
run "$IL" docking move DEM-N-0004 assigned
check_status 1 "assigning needs a broker"
run "$IL" docking move DEM-N-0004 assigned --broker city:4201 --by 运营
check_status 0 "assigned to Wuhan's operator"
run "$IL" docking notifications city:4201 --unread
check_eq "$(json 'len(j), j[0]["topic"], j[0]["subject"]')" "1 assigned DEM-N-0004" "who is told"
run "$IL" docking notifications city:4201 --unread --mark-read
run "$IL" docking notifications city:4201 --unread
check_eq "$out" "[]" "read notifications are no longer unread"
run "$IL" docking move DEM-N-0004 success
check_status 1 "assigned cannot jump to success"
check_contains "$err" "can move to docking or abandoned" "naming the allowed moves"
INNOLINK_NOW=2025-01-04T00:00:00Z run "$IL" docking move DEM-N-0004 docking --note 已联系专家
check_status 0 "first response on day 3"
run "$IL" docking rate DEM-N-0004 --side demand --score 5
check_status 1 "an open docking is not rated"
run "$IL" docking rate DEM-N-0004 --side demand --score 9
check_status 2 "a score out of 1-5 is a usage error"

INNOLINK_NOW=2025-01-11T00:00:00Z run "$IL" docking tick --json
check_status 0 "the clock on day 10"
open=$(sqlite3 "$INNOLINK_DB" "SELECT count(*) FROM demand WHERE coalesce(status,'new') IN ('new','assigned') AND id <> 'DEM-N-0004'")
check_eq "$(json 'j["escalated"]')" "$open" "every demand without a response is escalated"
run "$IL" docking notifications city:4210
check_contains "$out" "escalated" "Jingzhou's operator is told of its demands"
INNOLINK_NOW=2025-01-12T00:00:00Z run "$IL" docking tick --json
check_eq "$(json 'j["escalated"]')" "0" "escalated once"
INNOLINK_NOW=2025-01-20T00:00:00Z run "$IL" docking renew DEM-N-0005
check_status 0 "renewed on day 19"
INNOLINK_NOW=2025-01-31T00:00:00Z run "$IL" docking tick --json
run "$IL" docking show DEM-N-0005 --json
check_eq "$(json 'j["state"]')" "new" "the renewed demand stays open on day 30"
run "$IL" docking show DEM-N-0001 --json
check_eq "$(json 'j["state"], j["steps"][-1]["actor"]')" "abandoned clock" \
	"one without progress is abandoned by the clock"
run "$IL" docking show DEM-N-0004 --json
check_eq "$(json 'j["state"], j["first_response"]')" "docking 2025-01-04T00:00:00Z" \
	"DEM-N-0004 had progress on day 3: open until day 33"
run "$IL" docking rate DEM-N-0001 --side supply --score 2 --comment 无人响应
check_status 0 "an abandoned docking is rated"
run "$IL" docking tick --respond-days 0
check_status 2 "a period below one day is a usage error"

# freshness
run "$IL" renew demand DEM-N-0001 --days 30
check_status 0 "renew"
check_contains "$out" "2025-01-31" "expires 30 days on"
INNOLINK_NOW=2025-02-01T00:00:00Z run "$IL" renew --expired demand --owner CO-601869
check_contains "$out" "DEM-N-0001	2025-01-31" "the owner sees the demand that expired"
INNOLINK_NOW=2025-02-01T00:00:00Z run "$IL" renew demand DEM-N-0001
INNOLINK_NOW=2025-02-01T00:00:00Z run "$IL" renew --expired demand --owner CO-601869
check_eq "$(printf '%s' "$out" | grep -c DEM-N-0001)" "0" "and not once it is renewed"
run "$IL" renew organization CO-601869
check_status 1 "organizations do not expire"

# figures
run "$IL" figures --json --by month
check_status 0 "figures"
check_eq "$(json 'j["total"]["deals"], j["total"]["turnover"], j["total"]["deals_by_type"]["licence"]')" \
	"1 120 1" "the signed licence counts with its amount"
check_eq "$(json 'j["total"]["ratings"], j["total"]["satisfaction"]')" "1 2" "the rating"
check_eq "$(json '[a["median_response_days"] for a in j["agencies"] if a["broker"] == "city:4201"][0]')" \
	"3" "Wuhan's operator answered in 3 days"
public=$(json 'j["total"]["demands"]')
run "$IL" figures --json --include-confidential
check_eq "$(($(json 'j["total"]["demands"]') > public))" "1" "confidential demands count only when asked"
run "$IL" figures --region 4210 --out "$T/fig.xlsx"
check_status 0 "figures as XLSX"
check_contains "$(python3 -c 'import sys,zipfile; print(zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode())' "$T/fig.xlsx")" \
	"对接率 docking rate" "with bilingual headers"
run "$IL" figures --by city --json
check_eq "$(json '[c["name"] for c in j["cities"] if c["region"] == "4201"][0], j["total"]["demands"] == sum(c["demands"] for c in j["cities"])')" \
	"武汉市 True" "by city: every demand counts in one city (or other)"
run "$IL" figures --agencies --out "$T/agencies.csv"
check_status 0 "the brokers' response times as a table"
check_contains "$(cat "$T/agencies.csv")" "city:4201,city:4201,1,1,3" "Wuhan's operator: one demand, answered in 3 days"
run "$IL" figures --by week
check_status 2 "an unknown period"
run "$IL" audit verify
check_status 0 "after all that the audit log is intact"
finish
