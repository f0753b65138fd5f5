"""How long and how much memory a city plan takes as the number of units grows (issue 13).

Copies the Shangluo scenario with ``--extra`` more city units (plain, alike, risk 3) and
prints, as one JSON line: the units of the city plan, the seconds to load, the wall time
of ``draft_plan`` with ``--time-limit`` and the peak resident memory by then, and (from a
second model, built afterwards) the seconds to build the model and to add the greedy hint.

    python3 bench/bench_size.py --extra 739 --time-limit 60
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from planner.greedy import add_greedy_hint
from planner.loading import bundled_scenario_path, load_scenario
from planner.build import build_model
from planner.solve import SolveSettings, draft_plan
from planner.vocabulary import CITY


def scenario_with_extra_units(extra: int, folder: Path) -> Path:
    target = shutil.copytree(bundled_scenario_path(), folder / "scenario")
    with (target / "targets.csv").open("a", encoding="utf-8") as handle:
        handle.writelines(f"X{i},测试单位{i},city,,gov_subordinate,,1,3,,,,,\n" for i in range(extra))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        scenario = load_scenario(scenario_with_extra_units(args.extra, Path(tmp)))
        loaded = time.monotonic()
        solution = draft_plan(scenario, CITY, SolveSettings(time_limit=args.time_limit))
        drafted = time.monotonic()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # before a second model is built
        model = build_model(scenario, CITY, (), frozenset(), 0)
        built = time.monotonic()
        add_greedy_hint(model)
        hinted = time.monotonic()
    print(json.dumps({
        "city_units": len(scenario.targets_of(CITY)),
        "load_s": round(loaded - started, 1),
        "build_s": round(built - drafted, 1),
        "hint_s": round(hinted - built, 1),
        "time_limit_s": args.time_limit,
        "draft_plan_wall_s": round(drafted - loaded, 1),
        "status": str(solution.status),
        "peak_rss_mb": peak,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
