"""The numbers a chart shows, read back from its drawn figure, for a CSV beside each chart.

Reading them from the figure rather than from each drawing function means every chart,
present and future, writes its data with no extra code, and the CSV holds exactly what was
drawn (after smoothing, blocks and unit changes), not the table it started from. Each row is
one drawn point, bar or cell: the panel it is in, what kind of mark it is, the series
(legend label), its coordinates and, where an axis is categorical, the tick label there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection, PolyCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.image import AxesImage

from sim.output import replacing

COLUMNS = ("panel", "panel_title", "kind", "series", "x", "y", "width", "height", "value",
           "x_label", "y_label")


def plotted_data(fig: Figure) -> pd.DataFrame:
    """Every point, bar, band vertex and image cell drawn in ``fig``, one row each."""
    rows = [row for panel, ax in enumerate(fig.axes) for row in _panel_rows(panel, ax)]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def write_plotted_data(fig: Figure, path: Path) -> Path:
    """``plotted_data`` as a CSV at ``path``, written whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as tmp:
        plotted_data(fig).to_csv(tmp, index=False)
    return path


def _panel_rows(panel: int, ax: Axes) -> Iterator[dict[str, Any]]:
    base = {"panel": panel, "panel_title": ax.get_title()}
    ticks = {"x_label": _tick_labels(ax, "x"), "y_label": _tick_labels(ax, "y")}
    for row in _marks(ax):
        for axis, labels in ticks.items():
            row[axis] = labels.get(_key(row[axis[0]]), "")
        yield {**base, **row}


def _marks(ax: Axes) -> Iterator[dict[str, Any]]:
    for container in ax.containers:
        if isinstance(container, BarContainer):
            yield from _bars(container)
    for line in ax.lines:
        for x, y in zip(*_xy(line.get_xdata(), line.get_ydata()), strict=True):
            yield _row("line", line.get_label(), x, y)
    for collection in ax.collections:
        yield from _collection(collection)
    for image in ax.images:
        yield from _image(image)


def _bars(container: BarContainer) -> Iterator[dict[str, Any]]:
    """Each bar's centre and size; its value is its length (width when horizontal)."""
    label = container.get_label()
    horizontal = getattr(container, "orientation", None) == "horizontal"
    for patch in container.patches:
        x, y, width, height = patch.get_x(), patch.get_y(), patch.get_width(), patch.get_height()
        yield _row("bar", label, x + width / 2, y + height / 2, width=width, height=height,
                   value=width if horizontal else height)


def _collection(collection: Any) -> Iterator[dict[str, Any]]:
    label = collection.get_label()
    if isinstance(collection, PathCollection):
        offsets: np.ndarray = np.asarray(collection.get_offsets(), dtype=float)
        for x, y in offsets.reshape(-1, 2):
            yield _row("point", label, x, y)
    elif isinstance(collection, PolyCollection):
        for path in collection.get_paths():
            vertices: np.ndarray = np.asarray(path.vertices, dtype=float)
            for x, y in vertices.reshape(-1, 2):
                yield _row("band", label, x, y)


def _image(image: AxesImage) -> Iterator[dict[str, Any]]:
    values = np.asarray(image.get_array(), dtype=float)
    for (row, column), value in np.ndenumerate(values):
        yield _row("cell", image.get_label(), column, row, value=value)


def _row(kind: str, series: Any, x: Any, y: Any, **more: float) -> dict[str, Any]:
    label = str(series)
    return {"kind": kind, "series": "" if label.startswith("_") else label,
            "x": _number(x), "y": _number(y), "width": np.nan, "height": np.nan,
            "value": np.nan, **more}


def _xy(xs: Any, ys: Any) -> tuple[list[float], list[float]]:
    return [_number(x) for x in np.atleast_1d(xs)], [_number(y) for y in np.atleast_1d(ys)]


def _number(value: Any) -> float:
    """A coordinate as a float (dates and other units through matplotlib's conversion are
    already numbers here; anything else is NaN)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _tick_labels(ax: Axes, axis: str) -> dict[float, str]:
    """Tick position -> its label text, for categorical axes (numeric tick labels are left
    out: the coordinate already says it)."""
    getter = ax.get_xticklabels if axis == "x" else ax.get_yticklabels
    labels = {}
    for tick in getter():
        text = tick.get_text()
        position = tick.get_position()[0 if axis == "x" else 1]
        if text and not _numeric(text):
            labels[_key(position)] = text
    return labels


def _numeric(text: str) -> bool:
    cleaned = text.replace("−", "-").replace(",", "").replace("%", "").strip()
    try:
        float(cleaned)
    except ValueError:
        return False
    return True


def _key(value: float) -> float:
    return round(float(value), 6) if np.isfinite(value) else float("nan")
