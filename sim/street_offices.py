"""Street offices (街道) and zone management committees: relays from departments to communities.

A street office is the report's "二传手": it passes every task on, with
responsibility but no power or money of its own, and it adds to what it passes
(层层加码): it may shorten deadlines and attach its own ledgers. It also scores
its communities (assessment), and a community that scores badly puts assessed
work before everything else. Under the zone model a zone management committee
also runs a service centre (a staff pool) that handles some administrative
categories for all the committees it guides.

``Relays`` and ``Assessment`` act for all relays at once, vectorised;
``StreetOffice`` and ``ZoneCommittee`` are the Mesa agents, one handle per relay.
"""

from __future__ import annotations

import mesa
import numpy as np

from sim.catalog import ADMIN, TaskCatalog
from sim.instances import STREET, Batch
from sim.ledger import Ledger
from sim.reforms import Reform, Schedule, active, assessment_cut
from sim.scenario import Scenario


class Relays:
    """Pass issued work on to communities: refuse what an access list bars and its relay
    catches, shorten deadlines and add the street office's own items to the rest."""

    def __init__(self, settings: Scenario, catalog: TaskCatalog, relay: np.ndarray,
                 n_relays: int, admission: Schedule[np.ndarray], reforms: list[Reform],
                 rng: np.random.Generator, extra_rng: np.random.Generator, ledger: Ledger):
        self.catalog = catalog
        self.extra_rng = extra_rng
        self.relay = relay                # relay index of each community
        self.n_relays = n_relays
        self.admission = admission        # per day: first day each type is listed
        self.reforms = reforms
        self.rng = rng
        self.ledger = ledger
        self.deadline_cut = settings["relays.deadline_cut"]
        self.extra_items = settings["relays.extra_items"]

    def pass_on(self, day: int, issued: Batch) -> tuple[Batch, np.ndarray]:
        """Today's instances that reach communities through the relays, and which of the
        issued ones were refused."""
        refused = self._refused(day, issued)
        ledger = self.ledger
        ledger.add(day, "issued", issued.community)
        ledger.add(day, "refused", issued.community[refused])
        ledger.add_task("issued", issued.task)
        ledger.add_task("refused", issued.task[refused])
        passed = issued.where(~refused) if refused.any() else issued
        return self._escalate(day, passed), refused

    def end_week(self, day: int) -> None:
        """Record each community's enforcement (its relay's, strongest reform) and the
        administrative types in force there: listed types, plus unlisted ones weighted by
        the chance its relay lets them through."""
        level = np.zeros(self.n_relays)
        for reform in self.reforms:
            if reform.enforcement is not None:
                level = np.maximum(level, reform.enforcement.level(day))
        ledger = self.ledger
        ledger.set_stock(day, "enforcement", level[self.relay])
        ledger.set_stock(day, "admin_types_in_force", self._types_in_force(day)[self.relay])

    def _types_in_force(self, day: int) -> np.ndarray:
        catalog, n_relays = self.catalog, self.n_relays
        started = (catalog.kind == ADMIN) & (catalog.start_day <= day)
        listed = started & (day >= self.admission.at(day))
        unlisted = np.flatnonzero(started & ~listed)
        relay = np.repeat(np.arange(n_relays), len(unlisted))
        task = np.tile(unlisted, n_relays)
        catch = self._catch(day, relay, task, np.ones(len(task), dtype=bool))
        through = np.bincount(relay, 1.0 - catch, minlength=n_relays)
        return np.count_nonzero(listed) + through

    def _refused(self, day: int, issued: Batch) -> np.ndarray:
        """Unlisted instances each relay catches: one uniform per issued instance, so which
        instances are caught moves smoothly with enforcement (common random numbers)."""
        if not active(self.reforms, day):            # no access list in force: none refused
            return np.zeros(len(issued.task), dtype=bool)
        unlisted = day < self.admission.at(day)[issued.task]
        catch = self._catch(day, self.relay[issued.community], issued.task, unlisted)
        if not catch.any():
            return np.zeros(len(issued.task), dtype=bool)
        return self.rng.random(len(issued.task)) < catch

    def _catch(self, day: int, relay: np.ndarray, task: np.ndarray,
               unlisted: np.ndarray) -> np.ndarray:
        """Probability that ``relay`` refuses an instance of ``task``: the strictest reform
        in force today."""
        catch = np.zeros(len(task))
        for reform in active(self.reforms, day):
            catch = np.maximum(catch, reform.refusal_probability(day, relay, task, unlisted))
        return catch

    def _escalate(self, day: int, passed: Batch) -> Batch:
        """Departments' deadlines (administrative items; residents' requests keep theirs)
        shortened by ``relays.deadline_cut``; for each administrative item,
        Poisson(``relays.extra_items``) copies: the street office's own ledger or check on
        the same matter (层层加码), from a stream of their own."""
        admin = self.catalog.kind[passed.task] == ADMIN
        if self.deadline_cut:
            shorter = np.maximum(np.round(passed.deadline * (1.0 - self.deadline_cut)), 1)
            passed = passed._replace(deadline=np.where(admin, shorter, passed.deadline)
                                     .astype(np.int32))
        if not self.extra_items:
            return passed
        copies = self.extra_rng.poisson(self.extra_items * admin)
        extra = passed.where(np.repeat(np.arange(len(copies)), copies)).via(STREET)
        self.ledger.add(day, "relay_items", extra.community)
        return Batch.join([passed, extra])


class Assessment:
    """Street offices score their communities every ``assessment.period_days``.

    The score weighs, by assessment weight, the assessed administrative items settled
    in the period (weight at least ``assessment.assessed_weight``, or of a veto
    category): those finished by their deadline, credited the day they finish,
    against those missed, counted the day their deadline passes. One missed item of a
    veto category scores the period zero (一票否决). Below
    ``assessment.pressure_threshold`` a community is *pressed* until the next
    assessment: its committee puts veto items, then assessed items, before everything
    else and works overtime on them.
    """

    def __init__(self, settings: Scenario, catalog: TaskCatalog, n_communities: int,
                 reforms: list[Reform], ledger: Ledger):
        self.enabled = settings["assessment.enabled"]
        self.period = settings["assessment.period_days"]
        self.threshold = settings["assessment.pressure_threshold"]
        admin = catalog.kind == ADMIN
        self.veto = admin & np.isin(catalog.category.astype(str),
                                    settings["assessment.veto_categories"])
        checked = catalog.assessment_weight >= settings["assessment.assessed_weight"]
        self.assessed = admin & (checked | self.veto)     # a veto category is assessed
        self.weight = np.where(self.assessed, catalog.assessment_weight, 0.0)
        self.reforms, self.ledger = reforms, ledger
        self.pressed = np.zeros(n_communities, dtype=bool)
        self.score = np.ones(n_communities)
        self._on_time = np.zeros(n_communities)
        self._missed = np.zeros(n_communities)
        self._vetoed = np.zeros(n_communities, dtype=bool)
        self._last = -1

    def done_on_time(self, community: np.ndarray, task: np.ndarray) -> None:
        """Assessed items finished by their deadline."""
        self._on_time += np.bincount(community, self.weight[task], minlength=len(self._on_time))

    def missed(self, community: np.ndarray, task: np.ndarray) -> None:
        """Administrative items whose deadline passed today unfinished."""
        n = len(self._missed)
        self._missed += np.bincount(community, self.weight[task], minlength=n)
        self._vetoed |= np.bincount(community[self.veto[task]], minlength=n) > 0

    def period_days(self, day: int) -> int:
        """Days between assessments today: reforms that cut assessments stretch it."""
        cut = assessment_cut(self.reforms, day)
        return max(round(self.period / (1.0 - cut)), 1)

    def assess(self, day: int) -> None:
        """At a period's end: score, set who is pressed, start a new period."""
        if not self.enabled or day - self._last < self.period_days(day):
            return
        self._last = day
        due = self._on_time + self._missed
        self.score = np.where(due > 0, self._on_time / np.maximum(due, 1e-12), 1.0)
        self.score[self._vetoed] = 0.0
        self.pressed = self.score < self.threshold
        self.ledger.add(day, "assessments", np.arange(len(self.score)))
        self.ledger.add(day, "pressed_assessments", np.flatnonzero(self.pressed))
        self.ledger.add(day, "assessment_score_sum", np.arange(len(self.score)), self.score)
        self._on_time[:] = 0.0
        self._missed[:] = 0.0
        self._vetoed[:] = False


class StreetOffice(mesa.Agent):
    """Relays tasks to the communities it leads."""

    kind = "street_office"

    def __init__(self, model: mesa.Model, index: int, communities: np.ndarray, name: str = ""):
        super().__init__(model)
        self.index = index
        self.communities = communities
        self.name = name or str(index)      # the roster's relay name, or S01.../Z01...

    @property
    def enforcement(self) -> dict[str, float]:
        """Today's enforcement of each reform this relay applies."""
        model = self.model
        return {reform.name: float(reform.enforcement.level(model.day)[self.index])
                for reform in model.reforms if reform.enforcement is not None}


class ZoneCommittee(StreetOffice):
    """A development-zone community management committee (社区管理委员会)."""

    kind = "zone_committee"
