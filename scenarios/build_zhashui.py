"""Rebuild the tables of the bundled Zhashui (柞水县) county scenario (deterministic).

A county committee planning on its own (names.level: county): its units, towns
and villages, and its three teams. Names and sectors come from the lists of
``build_shangluo.py``; the counts and every other value are assumptions
documented in ``scenarios/zhashui/README.md``. Run ``python -m scenarios.build_zhashui``.
"""

from __future__ import annotations

import random
from pathlib import Path

from scenarios.build_shangluo import (
    COUNTY_INSTITUTIONS,
    COUNTY_ORGANS,
    COUNTY_OTHER,
    COUNTY_SOES,
    TOWNS,
    VILLAGE_STEMS,
    last_inspected,
    risk_for,
    split,
    write,
)

HERE = Path(__file__).parent / "zhashui"
SEED = 2027
COUNTY = "柞水县"
COUNTS = {"county_organ": 42, "institution": 24, "county_soe": 3, "other": 2}
VILLAGE_TOTAL = 86
KEY_VILLAGES = 2
FOLLOW_UPS = 4


def unit_rows(rng: random.Random) -> list[dict]:
    rows = [dict(id=f"ZS-T{n:02d}", name=f"{COUNTY}{town}", category="town", sector="乡村振兴", effort=3,
                 risk=risk_for(rng, "乡村振兴"), last_inspected=last_inspected(rng))
            for n, town in enumerate(TOWNS[COUNTY].split(), 1)]
    pools = {"county_organ": COUNTY_ORGANS, "institution": COUNTY_INSTITUTIONS,
             "county_soe": COUNTY_SOES, "other": COUNTY_OTHER}
    tags = {"county_organ": "O", "institution": "I", "county_soe": "E", "other": "X"}
    for category, count in COUNTS.items():
        for n, (name, sector) in enumerate(pools[category][:count], 1):
            rows.append(dict(id=f"ZS-{tags[category]}{n:02d}", name=name.replace("县", COUNTY, 1), category=category,
                             sector=sector, effort=1, risk=risk_for(rng, sector), last_inspected=last_inspected(rng)))
    return rows


def village_rows(rng: random.Random, towns: list[dict]) -> list[dict]:
    per_town = split(VILLAGE_TOTAL, {t["id"]: rng.uniform(0.7, 1.3) for t in towns})
    rows = []
    for town in towns:
        stems = rng.sample(VILLAGE_STEMS, len(VILLAGE_STEMS))
        street = town["name"].endswith("街道")
        for n in range(per_town[town["id"]]):
            suffix = "社区" if street and n % 2 == 0 else "村"
            rows.append(dict(id=f"{town['id']}-V{n + 1:02d}", name=f"{town['name']}{stems[n]}{suffix}",
                             town=town["id"], sector="乡村振兴", effort=1, risk=rng.choice((1, 2, 2, 3, 3, 4))))
    return rows


def team_rows() -> list[dict]:
    # 9 posts, 7 filled: every leader, two deputies, two liaisons.
    return [dict(id=f"ZS{n}", name=f"{COUNTY}委第{numeral}巡察组", leader_posts=1, leader_filled=1,
                 deputy_posts=1, deputy_filled=int(n <= 2), liaison_posts=1, liaison_filled=int(n != 2))
            for n, numeral in enumerate("一二三", 1)]


def main() -> None:
    rng = random.Random(SEED)
    units = unit_rows(rng)
    for row in rng.sample([r for r in units if r["category"] != "town"], FOLLOW_UPS):
        row["follow_up"] = 1
    villages = village_rows(rng, [r for r in units if r["category"] == "town"])
    for row in rng.sample(villages, KEY_VILLAGES):
        row["risk"] = 5
    write(HERE / "targets.csv", units, ["id", "name", "category", "sector", "effort", "risk", "last_inspected",
                                        "follow_up"])
    write(HERE / "villages.csv", villages, ["id", "name", "town", "sector", "effort", "risk"])
    write(HERE / "teams.csv", team_rows(), ["id", "name", "leader_posts", "leader_filled", "deputy_posts",
                                            "deputy_filled", "liaison_posts", "liaison_filled"])


if __name__ == "__main__":
    main()
