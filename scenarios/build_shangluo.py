"""Rebuild the tables of the bundled Shangluo scenario (deterministic).

Counts come from the research report; names, sectors, efforts, risks and the
split over counties and towns are assumptions documented in
``scenarios/shangluo/README.md``. Run ``python scenarios/build_shangluo.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).parent / "shangluo"
SEED = 2027

# (name, sector, effort); effort 2 marks a large unit with many subordinate bodies.
CITY_UNITS = {
    "party_work_organ": [
        ("市委办公室", "党委办", 1), ("市委组织部", "组织", 1), ("市委宣传部", "宣传", 1),
        ("市委统战部", "统战", 1), ("市委政法委员会", "政法", 1), ("市委机构编制委员会办公室", "组织", 1),
        ("市委政策研究室", "党委办", 1), ("市委网络安全和信息化委员会办公室", "宣传", 1),
        ("市委党校", "组织", 1), ("市委老干部局", "组织", 1), ("市直机关工作委员会", "组织", 1),
        ("市委党史研究室", "宣传", 1), ("市档案馆", "党委办", 1), ("商洛日报社", "宣传", 1),
        ("市委机要保密局", "党委办", 1),
    ],
    "party_mass_other": [
        ("市人大常委会机关", "人大", 1), ("市政协机关", "政协", 1), ("市中级人民法院", "政法", 1),
    ],
    "people_org": [
        ("市总工会", "群团", 1), ("共青团商洛市委", "群团", 1), ("市妇女联合会", "群团", 1),
        ("市科学技术协会", "群团", 1), ("市文学艺术界联合会", "群团", 1),
        ("市社会科学界联合会", "群团", 1), ("市归国华侨联合会", "群团", 1),
        ("市残疾人联合会", "群团", 1), ("市工商业联合会", "群团", 1),
    ],
    "gov_department": [
        ("市政府办公室", "政府办", 1), ("市发展和改革委员会", "发展改革", 2), ("市教育局", "教育", 2),
        ("市科学技术局", "科技", 1), ("市工业和信息化局", "工信", 1), ("市公安局", "政法", 2),
        ("市民政局", "民政", 1), ("市司法局", "政法", 1), ("市财政局", "财政", 1),
        ("市人力资源和社会保障局", "人社", 1), ("市自然资源局", "自然资源", 1),
        ("市生态环境局", "生态环境", 1), ("市住房和城乡建设局", "住建", 1), ("市交通运输局", "交通", 1),
        ("市水利局", "水利", 1), ("市农业农村局", "农业农村", 1), ("市商务局", "商务", 1),
        ("市文化和旅游局", "文旅", 1), ("市卫生健康委员会", "卫生健康", 2),
        ("市退役军人事务局", "民政", 1), ("市应急管理局", "应急", 1), ("市审计局", "财政", 1),
        ("市政府国有资产监督管理委员会", "国资", 1), ("市市场监督管理局", "市场监管", 1),
        ("市统计局", "发展改革", 1), ("市林业局", "林业", 1), ("市医疗保障局", "卫生健康", 1),
        ("市乡村振兴局", "乡村振兴", 1), ("市行政审批服务局", "政府办", 1), ("市信访局", "政府办", 1),
        ("市城市管理执法局", "住建", 1), ("市体育局", "文旅", 1), ("市数据局", "工信", 1),
        ("市投资促进局", "商务", 1), ("市地方金融管理局", "财政", 1), ("市秦岭生态环境保护局", "生态环境", 1),
        ("市机关事务管理局", "政府办", 1), ("市人民防空办公室", "应急", 1), ("市供销合作社", "农业农村", 1),
    ],
    "gov_subordinate": [
        ("市疾病预防控制中心", "卫生健康", 1), ("市中心医院", "卫生健康", 2), ("市中医医院", "卫生健康", 1),
        ("市妇幼保健院", "卫生健康", 1), ("市第一高级中学", "教育", 1), ("市职业技术教育中心", "教育", 1),
        ("市公路管理局", "交通", 1), ("市水文水资源勘测站", "水利", 1), ("市社会保险经办中心", "人社", 1),
        ("市不动产登记中心", "自然资源", 1), ("市公共资源交易中心", "财政", 1),
        ("市住房公积金管理中心", "住建", 1), ("市政务服务中心", "政府办", 1),
        ("市农业科学研究所", "农业农村", 1), ("市林业科学研究所", "林业", 1), ("市广播电视台", "宣传", 1),
        ("市图书馆", "文旅", 1), ("市博物馆", "文旅", 1), ("市丹江水利工程管理中心", "水利", 1),
        ("市动物疫病预防控制中心", "农业农村", 1), ("市特种设备检验所", "市场监管", 1),
    ],
    "city_soe": [
        ("商洛市城市建设投资集团有限公司", "国资", 2), ("商洛市交通建设投资集团有限公司", "交通", 1),
        ("商洛市水务集团有限公司", "水利", 1), ("商洛市文化旅游投资集团有限公司", "文旅", 1),
        ("商洛市国有资本投资运营集团有限公司", "国资", 1), ("商洛市农业发展投资有限公司", "农业农村", 1),
    ],
    "dev_zone": [("商洛高新技术产业开发区", "发展改革", 2)],
}

CITY_CODES = {"party_work_organ": "PW", "party_mass_other": "PM", "people_org": "PO", "gov_department": "GD",
              "gov_subordinate": "GS", "city_soe": "SOE", "dev_zone": "DZ"}

# Towns and sub-districts (镇办) per county: 98 in all, as in the report.
TOWNS = {
    "商州区": "城关街道 大赵峪街道 陈塬街道 刘湾街道 夜村镇 沙河子镇 杨峪河镇 金陵寺镇 黑山镇 杨斜镇 "
    "麻街镇 牧护关镇 大荆镇 腰市镇 板桥镇 北宽坪镇 三岔河镇 闫村镇",
    "洛南县": "城关街道 四皓街道 景村镇 古城镇 三要镇 灵口镇 寺耳镇 巡检镇 石坡镇 石门镇 麻坪镇 "
    "洛源镇 保安镇 永丰镇 卫东镇 高耀镇",
    "丹凤县": "龙驹寨街道 庾岭镇 蔡川镇 峦庄镇 铁峪铺镇 武关镇 竹林关镇 土门镇 寺坪镇 商镇 棣花镇 花瓶镇",
    "商南县": "城关街道 富水镇 湘河镇 赵川镇 金丝峡镇 过风楼镇 试马镇 清油河镇 十里坪镇 青山镇",
    "山阳县": "城关街道 十里铺街道 高坝店镇 天竺山镇 中村镇 银花镇 西照川镇 漫川关镇 南宽坪镇 户垣镇 "
    "杨地镇 小河口镇 色河铺镇 板岩镇 延坪镇 两岭镇 王阎镇 法官镇",
    "镇安县": "永乐街道 回龙镇 铁厂镇 大坪镇 米粮镇 茅坪回族镇 西口回族镇 高峰镇 青铜关镇 柴坪镇 "
    "达仁镇 木王镇 云盖寺镇 庙沟镇 月河镇",
    "柞水县": "乾佑街道 营盘镇 下梁镇 石瓮镇 杏坪镇 凤凰镇 小岭镇 红岩寺镇 曹坪镇",
}
COUNTY_CODES = dict(zip(TOWNS, ["SZ", "LN", "DF", "SN", "SY", "ZA", "ZS"]))
# Assumed relative size of each county (resident population, 10k), used to split counts.
COUNTY_WEIGHT = {"商州区": 52, "洛南县": 39, "丹凤县": 25, "商南县": 20, "山阳县": 37, "镇安县": 24, "柞水县": 13}
ELEVATED_TOWNS = [
    ("商州区", "沙河子镇"), ("商州区", "大荆镇"), ("洛南县", "景村镇"), ("洛南县", "石门镇"),
    ("丹凤县", "竹林关镇"), ("商南县", "富水镇"), ("山阳县", "漫川关镇"), ("山阳县", "中村镇"),
    ("镇安县", "云盖寺镇"), ("镇安县", "高峰镇"), ("柞水县", "营盘镇"),
]

COUNTY_ORGANS = [
    ("县委办公室", "党委办"), ("县人大常委会机关", "人大"), ("县政府办公室", "政府办"), ("县政协机关", "政协"),
    ("县委组织部", "组织"), ("县委宣传部", "宣传"), ("县委统战部", "统战"), ("县委政法委员会", "政法"),
    ("县发展和改革局", "发展改革"), ("县教育局", "教育"), ("县科技和工业信息化局", "工信"),
    ("县公安局", "政法"), ("县民政局", "民政"), ("县司法局", "政法"), ("县财政局", "财政"),
    ("县人力资源和社会保障局", "人社"), ("县自然资源局", "自然资源"), ("县住房和城乡建设局", "住建"),
    ("县交通运输局", "交通"), ("县水利局", "水利"), ("县农业农村局", "农业农村"), ("县商务局", "商务"),
    ("县文化和旅游局", "文旅"), ("县卫生健康局", "卫生健康"), ("县退役军人事务局", "民政"),
    ("县应急管理局", "应急"), ("县审计局", "财政"), ("县市场监督管理局", "市场监管"), ("县统计局", "发展改革"),
    ("县林业局", "林业"), ("县医疗保障局", "卫生健康"), ("县乡村振兴局", "乡村振兴"),
    ("县信访局", "政府办"), ("县行政审批服务局", "政府办"), ("县人民法院", "政法"), ("县人民检察院", "政法"),
    ("县委党校", "组织"), ("县委老干部局", "组织"), ("县总工会", "群团"), ("团县委", "群团"),
    ("县妇联", "群团"), ("县城市管理执法局", "住建"), ("县机关事务服务中心", "政府办"),
    ("县生态环境分局", "生态环境"), ("县档案馆", "党委办"),
    ("县委网络安全和信息化委员会办公室", "宣传"), ("县委机构编制委员会办公室", "组织"),
    ("县委政策研究室", "党委办"), ("县委机要保密局", "党委办"), ("县直机关工作委员会", "组织"),
    ("县委党史研究室", "宣传"), ("县地方志办公室", "政府办"), ("县粮食和物资储备局", "发展改革"),
    ("县秦岭生态环境保护局", "生态环境"), ("县数据和政务服务局", "政府办"), ("县投资促进局", "商务"),
    ("县国有资产监督管理局", "国资"), ("县移民搬迁安置办公室", "乡村振兴"), ("县人民防空办公室", "应急"),
    ("县体育局", "文旅"),
]
COUNTY_INSTITUTIONS = [
    ("县医院", "卫生健康"), ("县中医医院", "卫生健康"), ("县疾病预防控制中心", "卫生健康"),
    ("县妇幼保健院", "卫生健康"), ("县第一高级中学", "教育"), ("县职业教育中心", "教育"),
    ("县实验小学", "教育"), ("县城关初级中学", "教育"), ("县社会保险经办中心", "人社"),
    ("县不动产登记中心", "自然资源"), ("县公共资源交易中心", "财政"), ("县融媒体中心", "宣传"),
    ("县水利工作站", "水利"), ("县农业技术推广中心", "农业农村"), ("县林业工作站", "林业"),
    ("县畜牧兽医中心", "农业农村"), ("县图书馆", "文旅"), ("县文化馆", "文旅"), ("县公路管理段", "交通"),
    ("县住房公积金管理部", "住建"), ("县园林绿化中心", "住建"), ("县国库集中支付中心", "财政"),
    ("县政务服务中心", "政府办"), ("县供电服务中心", "工信"), ("县救助管理站", "民政"),
    ("县敬老院", "民政"), ("县市场监管检测中心", "市场监管"), ("县气象服务中心", "应急"),
    ("县地震监测中心", "应急"), ("县水土保持工作站", "水利"),
    ("县第二高级中学", "教育"), ("县幼儿园", "教育"), ("县特殊教育学校", "教育"), ("县精神卫生中心", "卫生健康"),
    ("县农产品质量安全检测站", "农业农村"), ("县森林病虫害防治检疫站", "林业"),
]
COUNTY_SOES = [("县城市建设投资有限公司", "国资"), ("县水务有限公司", "水利"), ("县交通投资有限公司", "交通"),
               ("县文化旅游开发有限公司", "文旅"), ("县农业发展有限公司", "农业农村")]
COUNTY_OTHER = [("县科学技术协会", "群团"), ("县残疾人联合会", "群团"), ("县工商业联合会", "群团"),
                ("县文学艺术界联合会", "群团"), ("县红十字会", "群团"), ("县供销合作社", "农业农村")]
COUNTY_TOTALS = {"county_organ": 290, "institution": 195, "county_soe": 22, "other": 24}
VILLAGE_TOTAL = 1295
VILLAGE_STEMS = (
    "东坡 西沟 南岭 北川 河口 王庄 李村 张湾 刘坪 陈塬 杨河 马坊 高庄 石门 柳林 桃园 松树 白杨 青山 红岩 "
    "金星 新民 团结 和平 前进 胜利 光明 龙潭 凤凰 双河 三岔 五里 七里 九龙 上坪 下湾 中坝 黄龙 清泉 花园"
).split()
HIGH_RISK_SECTORS = {"自然资源", "住建", "交通", "国资", "乡村振兴", "卫生健康", "水利"}


KEY_VILLAGES = 40


def split(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Largest-remainder split of ``total`` in proportion to ``weights``."""
    whole = sum(weights.values())
    raw = {k: total * w / whole for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    return out


def risk_for(rng: random.Random, sector: str) -> int:
    base = 3 if sector in HIGH_RISK_SECTORS else 2
    return max(1, min(5, base + rng.choice((-1, 0, 0, 1, 1, 2))))


def last_inspected(rng: random.Random) -> str:
    day = dt.date(2022, 3, 1) + dt.timedelta(days=rng.randrange(0, 4 * 365))
    return day.isoformat()


def city_rows(rng: random.Random) -> list[dict]:
    rows = []
    for category, units in CITY_UNITS.items():
        for n, (name, sector, effort) in enumerate(units, 1):
            rows.append(dict(id=f"C-{CITY_CODES[category]}{n:02d}", name=name, level="city", county="",
                             category=category, sector=sector, effort=effort, risk=risk_for(rng, sector),
                             last_inspected=last_inspected(rng)))
    for county, code in COUNTY_CODES.items():
        rows.append(dict(id=f"C-CTY-{code}", name=f"中共{county}委员会", level="city", county=county,
                         category="county", sector="", effort=3, risk=rng.choice((3, 4, 4, 5)),
                         last_inspected=last_inspected(rng)))
    return rows


def county_rows(rng: random.Random) -> list[dict]:
    rows = []
    elevated = set(ELEVATED_TOWNS)
    for county, towns in TOWNS.items():
        code = COUNTY_CODES[county]
        for n, town in enumerate(towns.split(), 1):
            rows.append(dict(id=f"{code}-T{n:02d}", name=f"{county}{town}", level="county", county=county,
                             category="town", sector="乡村振兴", effort=3, risk=risk_for(rng, "乡村振兴"),
                             last_inspected=last_inspected(rng), elevated=int((county, town) in elevated)))
    pools = {"county_organ": COUNTY_ORGANS, "institution": COUNTY_INSTITUTIONS,
             "county_soe": COUNTY_SOES, "other": COUNTY_OTHER}
    for category, total in COUNTY_TOTALS.items():
        # Organ counts vary less than population: damp the weights.
        per_county = split(total, {c: 60 + w for c, w in COUNTY_WEIGHT.items()})
        for county, count in per_county.items():
            names = pools[category]
            assert count <= len(names), (category, county, count)
            for n, (name, sector) in enumerate(names[:count]):
                tag = {"county_organ": "O", "institution": "I", "county_soe": "E", "other": "X"}[category]
                rows.append(dict(id=f"{COUNTY_CODES[county]}-{tag}{n + 1:02d}", name=name.replace("县", county, 1),
                                 level="county", county=county, category=category, sector=sector,
                                 effort=1, risk=risk_for(rng, sector), last_inspected=last_inspected(rng)))
    return rows


def village_rows(rng: random.Random, towns: list[dict]) -> list[dict]:
    per_town = split(VILLAGE_TOTAL, {t["id"]: rng.uniform(0.7, 1.3) for t in towns})
    rows = []
    for town in towns:
        stems = rng.sample(VILLAGE_STEMS, len(VILLAGE_STEMS))
        short = town["name"].removeprefix(town["county"])
        for n in range(per_town[town["id"]]):
            stem = stems[n % len(stems)] + ("" if n < len(stems) else str(n // len(stems) + 1))
            suffix = "社区" if short.endswith("街道") and n % 2 == 0 else "村"
            rows.append(dict(id=f"{town['id']}-V{n + 1:02d}", name=f"{town['name']}{stem}{suffix}",
                             county=town["county"], town=town["id"], sector="乡村振兴", effort=1,
                             risk=rng.choice((1, 2, 2, 3, 3, 4))))
    return rows


def team_rows() -> list[dict]:
    rows = []
    numerals = "一二三四五"
    # City: 15 posts, 12 filled = 4 leaders, 3 deputies, 5 liaisons; team 5 has no leader.
    for n in range(1, 6):
        rows.append(dict(id=f"C{n}", name=f"市委第{numerals[n - 1]}巡察组", level="city", county="",
                         leader_posts=1, leader_filled=int(n <= 4), deputy_posts=1, deputy_filled=int(n <= 3),
                         liaison_posts=1, liaison_filled=1))
    # Counties: 63 posts, 49 filled = 21 leaders, 17 deputies, 11 liaisons.
    deputies_missing = {("丹凤县", 3), ("商南县", 3), ("镇安县", 2), ("柞水县", 3)}
    liaisons_filled = {(c, 1) for c in TOWNS} | {("商州区", 2), ("洛南县", 2), ("山阳县", 2), ("商州区", 3)}
    for county, code in COUNTY_CODES.items():
        for n in range(1, 4):
            rows.append(dict(id=f"{code}{n}", name=f"{county.removesuffix('区').removesuffix('县')}"
                             f"{'区' if county.endswith('区') else '县'}委第{numerals[n - 1]}巡察组",
                             level="county", county=county, leader_posts=1, leader_filled=1,
                             deputy_posts=1, deputy_filled=int((county, n) not in deputies_missing),
                             liaison_posts=1, liaison_filled=int((county, n) in liaisons_filled)))
    return rows


def write(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def main() -> None:
    rng = random.Random(SEED)
    city = city_rows(rng)
    county = county_rows(rng)
    # Assumption: a few city units are planned for a follow-up (回头看); a few avoid a team.
    for row in rng.sample([r for r in city if r["category"] != "county"], 8):
        row["follow_up"] = 1
    for row, team in zip(rng.sample(city, 4), ("C1", "C2", "C3", "C4")):
        row["avoid_teams"] = team
    targets = city + county
    villages = village_rows(rng, [r for r in county if r["category"] == "town"])
    # Assumption: about 3% of villages have concentrated problems (risk 5): inspected alone (直接巡).
    for row in rng.sample(villages, KEY_VILLAGES):
        row["risk"] = 5
    target_columns = ["id", "name", "level", "county", "category", "sector", "effort", "risk",
                      "last_inspected", "town", "elevated", "follow_up", "avoid_teams"]
    write(HERE / "targets.csv", targets, target_columns)
    write(HERE / "villages.csv", villages, ["id", "name", "county", "town", "sector", "effort", "risk"])
    write(HERE / "teams.csv", team_rows(), ["id", "name", "level", "county", "leader_posts", "leader_filled",
                                            "deputy_posts", "deputy_filled", "liaison_posts", "liaison_filled"])


if __name__ == "__main__":
    main()
