"""The chart of a plausible-worlds ensemble: how far the bands narrowed each prior.

An ensemble folder holds round sweeps, not one results folder, so this is not a
registered ``Chart`` (those read ``analysis.results.Results``): ``commsim ensemble``
draws it beside ``worlds.parquet``. Each key's prior is drawn as the full width and
its kept worlds within it, so keys the bands identify stand out as short bars.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.style import GREY, OKABE_ITO
from sim.design import Vary


def draw_ranges(priors: list[Vary], kept: pd.DataFrame, path: Path) -> None:
    """One row per prior key: its range as a grey bar scaled to [0, 1], the kept worlds'
    range as a coloured bar and each kept world as a tick."""
    figure = Figure(figsize=(7.5, 1.2 + 0.28 * len(priors)), layout="constrained")
    axis = figure.subplots()
    for row, prior in enumerate(priors):
        low, high = prior._bounds()
        width = high - low or 1.0
        axis.barh(row, 1.0, left=0.0, height=0.7, color=GREY, alpha=0.35)
        values = (kept[prior.key].to_numpy(dtype=float) - low) / width if len(kept) else None
        if values is not None:
            axis.barh(row, np.ptp(values), left=np.min(values), height=0.7,
                      color=OKABE_ITO["blue"])
            axis.plot(values, np.full(len(values), row), "|", color="black", markersize=7)
    axis.set_yticks(range(len(priors)),
                    [f"{p.key}  [{p._bounds()[0]:g}, {p._bounds()[1]:g}]" for p in priors],
                    fontsize=7)
    axis.invert_yaxis()
    axis.set_xlim(0, 1)
    axis.set_xlabel("position within the prior range (0 = low end, 1 = high end)")
    axis.set_title(f"Plausible worlds: prior range (grey),\nthe {len(kept)} kept worlds "
                   "(blue, one tick each)", fontsize=9, loc="left")
    figure.savefig(path, dpi=130)
