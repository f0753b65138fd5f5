"""Benchmark: units the greedy hint leaves out, over full-size scenario variants.

For each variant of tests/variants.py, builds the city model and runs the
greedy passes that ``add_greedy_hint`` runs (no CP-SAT search), and prints the
units the chosen pass leaves out (without a regular round, or without a
follow-up they are due; a special theme without its round counts as one), the
passes run and their time; then the sum. Infeasible
variants count too: fewer units out is a better start for the search either way.
Run from the repository root:

    python3 bench/bench_greedy.py --first-seed 0 --count 40
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from planner.greedy import best_greedy
from planner.loading import load_scenario
from planner.solve import plan_model

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))
from variants import SHANGLUO, make_variant  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=40)
    args = parser.parse_args()
    base = load_scenario(SHANGLUO)
    total = 0
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(args.first_seed, args.first_seed + args.count):
            model = plan_model(make_variant(seed, Path(folder) / f"v{seed}", base=base).scenario)
            started = time.monotonic()
            left_out = best_greedy(model).left_out()
            total += left_out
            print(json.dumps({"seed": seed, "left_out": left_out, "seconds": round(time.monotonic() - started, 2)}))
    print(json.dumps({"left_out_total": total}))


if __name__ == "__main__":
    main()
