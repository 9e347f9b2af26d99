"""The groups results are broken down by: the city, a district, a relay, a governance model,
one community, and bands of community size.

A city with a roster names its districts, relays and communities and may mix
governance models; the synthetic city has one district and the scenario's model
everywhere. Either way every community has a label at every level, so a
breakdown, an observed target or a join to a user's own data asks for the same
thing: the community indices of a group (``members``), which ``compute_metrics``
takes to narrow every ledger total to them.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

import numpy as np

CITY_LABEL = "city"

# Community size bands (households) within which governance models and districts are
# compared, so that a model's effect is not confused with the sizes of its districts.
# Assumption: the report's bulk of 3,000-5,000 households is the middle band.
SIZE_BANDS = (0.0, 3000.0, 5000.0, 8000.0, float("inf"))
ALL_SIZES = "all"         # the band of a table row that covers every size


# Each level's labels from the city layout, one per community.
LABELLERS: dict[str, Callable[[Any], Any]] = {
    "city": lambda city: np.full(city.n_communities, CITY_LABEL),
    "district": lambda city: city.district,
    "relay": lambda city: np.asarray(city.relay_name)[city.relay],
    "governance": lambda city: city.governance,
    "community": lambda city: city.community_id,
}
LEVELS = tuple(LABELLERS)


def labels(model: Any, level: str) -> np.ndarray:
    """Each community's label at ``level`` (a str array over communities)."""
    if level not in LABELLERS:
        raise ValueError(f"unknown level {level!r}; one of {', '.join(LEVELS)}")
    return np.asarray(LABELLERS[level](model.city), dtype=object)


def members(model: Any, level: str, label: str) -> np.ndarray:
    """Indices of the communities labelled ``label`` at ``level`` (empty if none)."""
    return np.flatnonzero(labels(model, level) == label)


def groups(model: Any, level: str) -> dict[str, np.ndarray]:
    """Every group at ``level``, in order of first appearance, with its members."""
    at_level = labels(model, level)
    names = list(dict.fromkeys(at_level.tolist()))
    return {name: np.flatnonzero(at_level == name) for name in names}


def size_band(households: np.ndarray) -> np.ndarray:
    """Each community's size band as a label such as '3000-5000' or '8000+'."""
    edges = np.asarray(SIZE_BANDS)
    index = np.searchsorted(edges, households, side="right") - 1
    names = np.array(band_names(), dtype=object)
    return names[np.clip(index, 0, len(names) - 1)]


def band_names() -> tuple[str, ...]:
    """Every size band's label, smallest first: the full set of categories a table of
    bands carries, so tables of different cities share one set and concatenate as such."""
    return tuple(_band_name(low, high) for low, high in pairwise(SIZE_BANDS))


def _band_name(low: float, high: float) -> str:
    return f"{low:.0f}+" if np.isinf(high) else f"{low:.0f}-{high:.0f}"
