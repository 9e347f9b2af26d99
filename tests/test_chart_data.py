"""Every chart's numbers, read back from the drawn figure for the CSV beside it."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from analysis.chart_data import plotted_data


def figure() -> Figure:
    fig = Figure()
    left, right = fig.subplots(1, 2)
    left.plot([1, 2], [10, 20], label="formal")
    left.barh([0, 1], [3.0, 4.0], label="hours")
    left.set_yticks([0, 1], ["baseline", "access list"])
    right.scatter([5], [6], label="communities")
    right.imshow(np.array([[1.0, 2.0]]))
    return fig


def test_lines_bars_points_and_cells_each_become_rows():
    data = plotted_data(figure())
    assert data.groupby("kind").size().to_dict() == {"bar": 2, "cell": 2, "line": 2, "point": 1}
    line = data[data["kind"] == "line"]
    assert line["series"].tolist() == ["formal"] * 2 and line["y"].tolist() == [10, 20]


def test_a_horizontal_bar_is_read_as_its_length_and_its_category():
    bars = plotted_data(figure()).query("kind == 'bar'")
    assert bars["value"].tolist() == [3.0, 4.0]
    assert bars["y_label"].tolist() == ["baseline", "access list"]


def test_image_cells_carry_their_values_and_panel():
    cells = plotted_data(figure()).query("kind == 'cell'")
    assert cells["value"].tolist() == [1.0, 2.0] and set(cells["panel"]) == {1}
