"""Write ``hefei.csv``: the Hefei city of the field report as a community roster.

What the report gives (docs/model.md 5.1, DOMAIN.md): 362 urban communities, 38
street offices, 13 zone management committees (Economic-Technological zone 5,
High-tech zone 3, Xinzhan zone 5) guiding the development zones' communities,
and Shushan district's 52 communities run as workstations with about 15 staff
each, at least 300 m² of service space and 500,000 yuan of working funds a year.
Luyang, Yaohai and Baohe keep two committees.

What it does not give, and how this roster fills it in (each an assumption,
documented in docs/model.md 5.1 and marked by ``DRAWN``/``ASSUMED`` below):

* how the other 310 communities and 31 street offices divide among districts:
  every relay guides about the same number of communities, as the synthetic
  city assumes (362 / 51 ≈ 7.1), so the zones' 13 committees guide 7 each (91
  communities), Shushan's 52 sit under 7 street offices, and the remaining 219
  under 31 street offices split 11 (Luyang, 78 communities), 11 (Yaohai, 78), 9
  (Baohe, 63);
* each community's households: drawn once from the synthetic city's documented
  distribution (``sim.city.draw_households`` at the default scenario) with the
  fixed seed ``SEED``;
* staff: left empty, so the scenario's staffing rule applies (15 per community
  by default, the report's Shushan figure); a staffing reform then reaches
  every district alike;
* governance: left empty, so the scenario decides (``governance.by_district``
  in scenarios/baseline.toml), which keeps the single-model counterfactuals a
  one-line change.

Run ``python -m scenarios.rosters.make_hefei`` to rewrite the file; a test checks
that the shipped file is what this script writes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from sim.city import draw_households
from sim.scenario import default_scenario

SEED = 20261130                        # DRAWN: households, once, with this seed
HERE = Path(__file__).resolve().parent
ROSTER = HERE / "hefei.csv"
COLUMNS = ("id", "name", "district", "relay", "relay_kind", "households", "staff",
           "governance", "grid_workers", "space_m2", "funds_yuan")

# (district, short code, relay kind, communities per relay): the report's counts where it
# gives them (Shushan's 52; the zones' 5 + 3 + 5 committees), even relays otherwise (ASSUMED).
DISTRICTS = (
    ("Shushan", "SS", "street_office", (8, 8, 7, 7, 7, 7, 8)),
    ("Luyang", "LY", "street_office", (7,) * 10 + (8,)),
    ("Yaohai", "YH", "street_office", (7,) * 10 + (8,)),
    ("Baohe", "BH", "street_office", (7,) * 9),
    ("Jingkai", "JK", "zone_committee", (7,) * 5),
    ("Gaoxin", "GX", "zone_committee", (7,) * 3),
    ("Xinzhan", "XZ", "zone_committee", (7,) * 5),
)
SHUSHAN_SPACE_M2 = 300.0               # report: at least 300 m² each (a lower bound)
SHUSHAN_FUNDS_YUAN = 500_000.0         # report: 500,000 yuan a year now


def rows() -> list[dict[str, str]]:
    """One row per community, in district and relay order."""
    communities = sum(sum(per_relay) for *_, per_relay in DISTRICTS)
    households = draw_households(default_scenario(), np.random.default_rng(SEED))
    assert len(households) == communities, "the default city must have the report's 362"
    out, index = [], 0
    for district, code, kind, per_relay in DISTRICTS:
        office = "street office" if kind == "street_office" else "zone committee"
        number = 0
        for relay_number, count in enumerate(per_relay, start=1):
            for _ in range(count):
                number += 1
                shushan = district == "Shushan"
                out.append({
                    "id": f"{code}{number:02d}", "name": f"{district} community {number}",
                    "district": district, "relay": f"{district} {office} {relay_number}",
                    "relay_kind": kind, "households": f"{households[index]:.0f}", "staff": "",
                    "governance": "", "grid_workers": "",
                    "space_m2": f"{SHUSHAN_SPACE_M2:.0f}" if shushan else "",
                    "funds_yuan": f"{SHUSHAN_FUNDS_YUAN:.0f}" if shushan else ""})
                index += 1
    return out


def render() -> str:
    """The roster as CSV text."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows())
    return buffer.getvalue()


if __name__ == "__main__":
    ROSTER.write_text(render(), encoding="utf-8")
    print(f"wrote {ROSTER}")
