"""Our model and agents never shadow what the installed Mesa defines.

Mesa grows between minor releases (3.5 added ``Model.scenario``, ``Model.time``,
``Agent.scenario`` ...). Assigning over one of them breaks Mesa or us in ways
that show up only on that release, so this checks against whatever Mesa is
installed, not against a fixed list.
"""

from __future__ import annotations

import ast
import inspect
import textwrap

import mesa
import pytest

from sim.batch import CommunityBatchModel
from sim.communities import Community
from sim.departments import Department
from sim.model import CommunityWorkloadModel
from sim.street_offices import StreetOffice, ZoneCommittee

# Mesa's own hooks that a model or agent is meant to override or set.
INTENDED = {"step", "running"}


def _public(names) -> set[str]:
    return {name for name in names if not name.startswith("_")}


def _assigned_on_self(cls: type) -> set[str]:
    """Names a class defines in its body or assigns as ``self.NAME = ...`` in its methods."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    names = set(vars(cls))
    for node in ast.walk(tree):
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign | ast.AugAssign)
                   else [])
        for target in targets:
            for leaf in ast.walk(target):
                if (isinstance(leaf, ast.Attribute) and isinstance(leaf.value, ast.Name)
                        and leaf.value.id == "self"):
                    names.add(leaf.attr)
    return names


def _ours(cls: type, base: type) -> set[str]:
    """Public names our subclass of a Mesa class defines or assigns, over its own bases."""
    own = [c for c in cls.__mro__ if c not in base.__mro__]
    injected = set(vars(type("Probe", (base,), {})))   # what Mesa adds to every subclass
    return _public(set().union(*(_assigned_on_self(c) for c in own)) - injected)


def _mesa_names(base: type, instance) -> set[str]:
    return _public(set(dir(base)) | set(vars(instance)))


@pytest.mark.parametrize("model_type", [CommunityWorkloadModel, CommunityBatchModel])
def test_the_model_shadows_no_attribute_of_mesa_model(model_type):
    bare = mesa.Model()
    ours = _ours(model_type, mesa.Model)
    collisions = (ours & _mesa_names(mesa.Model, bare)) - INTENDED
    assert not collisions, f"mesa {mesa.__version__} Model already defines {sorted(collisions)}"


@pytest.mark.parametrize("agent_type", [Community, Department, StreetOffice, ZoneCommittee])
def test_agents_shadow_no_attribute_of_mesa_agent(agent_type):
    bare = mesa.Agent(mesa.Model())
    collisions = (_ours(agent_type, mesa.Agent) & _mesa_names(mesa.Agent, bare)) - INTENDED
    assert not collisions, (f"mesa {mesa.__version__} Agent already defines "
                            f"{sorted(collisions)} (on {agent_type.__name__})")
