"""Fixed-seed regression baseline: a small city's metrics, stored to catch unintended change.

Refresh after an intended change to the model with ``make regression-refresh``
(``python tests/regression.py --refresh``) and commit tests/data/regression.json
with a message saying why the numbers moved.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sim.runner import run
from sim.scenario import load_scenario

HERE = Path(__file__).resolve().parent
STORED = HERE / "data" / "regression.json"
SCENARIO = HERE.parent / "scenarios" / "baseline.toml"
OVERRIDES = ["city.communities=40", "city.street_offices=5", "city.zone_committees=1",
             "simulation.days=120"]
SEED, REPS = 20261129, 2


def current() -> dict[str, list[float]]:
    """The regression scenario's metrics, one value per replicate."""
    metrics = run(load_scenario(SCENARIO, OVERRIDES), seed=SEED, reps=REPS).metrics
    return {name: [float(v) for v in column] for name, column in metrics.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--refresh", action="store_true", help="rewrite the stored baseline")
    if parser.parse_args().refresh:
        before = json.loads(STORED.read_text(encoding="utf-8"))["metrics"]
        stored = {"scenario": str(SCENARIO.name), "overrides": OVERRIDES, "seed": SEED,
                  "reps": REPS, "metrics": current()}
        STORED.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {STORED}")
        for name, after in stored["metrics"].items():
            if before.get(name) != after:
                print(f"  {name}: {before.get(name)} -> {after}")


if __name__ == "__main__":
    main()
