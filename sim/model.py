"""The city model: departments push work down, relays pass it on, community staff work it off.

One ``step`` is one working day:

1. replacements for staff who quit start work;
2. every department issues its instances (and the residents' hotline complaints
   about requests that went unserved); each relay refuses the unlisted work its
   enforcement of an access list catches, shortens departments' deadlines and adds
   its own items; departments push part of the refused work down informally;
   reforms send their own work (app duties); everything that arrives joins the
   queue of the pool the governance model and reforms route it to;
3. hours are spent in passes: volunteers on resident work, purchased help (bought
   with money that follows the task) on administrative work, protected hours on
   self-governance then services, a pressed community's hours on veto and assessed
   items, regular hours on everything by the priority policy, hours lent between
   workstation and committee, overtime on pressing (and pressed) work;
4. finished work leaves the queue (late if after its deadline); resident demand
   left unserved too long past its deadline is withdrawn and counted as unmet;
   at a period's end street offices score their communities; residents respond at
   a week's end: participation follows the committee's responsiveness and sets
   self-governance demand, volunteers and complaints;
5. at a week's end, stocks are recorded (enforcement and types in force among
   them) and staff quit under overload.
"""

from __future__ import annotations

import mesa
import numpy as np

from sim.catalog import load_catalog
from sim.city import ZONE_COMMITTEE
from sim.communities import Committees, Community, CommunityIdentity
from sim.departments import Department, Departments, IssueContext, propose_new_tasks
from sim.documentation import Documentation
from sim.governance import Governance
from sim.instances import Batch
from sim.ledger import DAYS_PER_WEEK, Ledger
from sim.policies import POLICIES
from sim.reforms import Reform, active, build_reforms, scheduled
from sim.residents import Residents
from sim.roster import city_of
from sim.scenario import Scenario
from sim.staff import Turnover
from sim.streams import Streams
from sim.street_offices import Assessment, Relays, StreetOffice, ZoneCommittee


class CommunityWorkloadModel(mesa.Model):
    """A city's communities working through pushed-down tasks, one working day per step."""

    def __init__(self, scenario: Scenario, seed: int = 0, replicate: int = 0,
                 reforms: list[Reform] | None = None):
        streams = Streams(seed, replicate)
        super().__init__(rng=streams.get("mesa"))
        self.settings = scenario
        self.seed, self.replicate = seed, replicate
        self.days = scenario["simulation.days"]
        self.day = 0
        self.reforms = build_reforms(scenario, streams) if reforms is None else reforms
        self._build_city(streams)
        self._build_catalog(streams)
        self._build_workforce(streams)
        self.ledger = Ledger(self.days, self.city.n_communities, len(self.catalog))
        self.relays = Relays(scenario, self.catalog, self.city.relay,
                             len(self.city.relay_kind), self.admission, self.reforms,
                             streams.get("relays", "catch"), streams.get("relays", "extra_items"),
                             self.ledger)
        self.assessment = Assessment(scenario, self.catalog, self.city.n_communities,
                                     self.reforms, self.ledger)
        self.committees = Committees(scenario, self.catalog, self.workforce, self.route_schedule,
                                     self.admin_pool, POLICIES[scenario["policy.priority"]],
                                     self.reforms, self.ledger, self.city.n_communities,
                                     self.turnover, self.assessment, self.city.relay)
        self.queue = self.committees.queue
        self._create_agents(streams)
        self.residents = Residents(scenario, self.catalog, self.city.households,
                                   self.departments.named("residents"), self.issue_context,
                                   self.ledger, streams)

    # --- construction -------------------------------------------------------
    def _build_city(self, streams: Streams) -> None:
        city = city_of(self.settings, streams)
        for reform in self.reforms:
            city = reform.reshape_city(city)
        for reform in self.reforms:
            reform.start(city)
        self.city = city
        self.governance = Governance.of(city)

    def _build_catalog(self, streams: Streams) -> None:
        self.issue_context = IssueContext(self.settings, self.city.households)
        base = load_catalog(self.settings["tasks.catalog"])
        struck_by = {r: r.struck(base) for r in self.reforms}
        striking = [r for r, types in struck_by.items() if len(types)]
        struck = np.unique(np.concatenate([np.empty(0, dtype=np.int64),
                                           *(struck_by[r] for r in striking)]))
        catalog = base.append(propose_new_tasks(
            base, streams, self.issue_context, self._suppression, struck,
            self.settings["departments.regrowth.relabel_per_year"],
            min((r.start_day for r in striking), default=0)))
        departments_types = len(catalog)
        for reform in self.reforms:
            catalog = reform.add_task_types(catalog)
        for reform in self.reforms:
            reform.on_catalog(catalog, np.arange(departments_types, len(catalog)))
        factor = scheduled(self.reforms, Documentation(catalog, self.settings).effort_factor,
                           lambda reform, f: f * reform.effort_factor(catalog))
        self.admission = scheduled(self.reforms, catalog.start_day.astype(np.int64),
                                   lambda reform, allowed: reform.gate(catalog, allowed))
        self.issue_context.set_catalog(catalog, factor)
        self.catalog = catalog
        self.allowed_from = self.admission.final     # the admission days in force at the end

    def _suppression(self, days: np.ndarray) -> np.ndarray:
        """Share of new task types deterred on each of ``days``: the strongest campaign's."""
        deterred = np.zeros(len(days))
        for reform in self.reforms:
            deterred = np.maximum(deterred, reform.suppression(days))
        return deterred

    def _build_workforce(self, streams: Streams) -> None:
        scenario = self.settings
        workforce = self.governance.build_workforce(scenario, self.city)
        for reform in self.reforms:
            workforce = reform.add_pools(self.city, workforce)
        self.route_schedule = scheduled(
            self.reforms, self.governance.route_table(scenario, self.catalog, self.city,
                                                      workforce),
            lambda reform, routes: reform.reroute(self.catalog, routes, workforce))
        self.workforce, self.routes = workforce, self.route_schedule.final
        self.admin_pool = self.governance.admin_pool(workforce)
        own = workforce.is_community_staff
        self.posts = np.bincount(workforce.community[own], workforce.staff[own],
                                 minlength=self.city.n_communities)   # before anyone quits
        self.turnover = None
        if scenario["staffing.turnover.enabled"]:
            self.turnover = Turnover.from_scenario(workforce, scenario, streams.get("turnover"))

    def _create_agents(self, streams: Streams) -> None:
        for name in self.catalog.departments():
            Department(self, name, self.catalog)
        for index, kind in enumerate(self.city.relay_kind):
            relay_class = ZoneCommittee if kind == ZONE_COMMITTEE else StreetOffice
            relay_class(self, index, np.flatnonzero(self.city.relay == index),
                        str(self.city.relay_name[index]))
        pools_by_community: list[list[int]] = [[] for _ in range(self.city.n_communities)]
        for pool, community in enumerate(self.workforce.community):
            if community >= 0:
                pools_by_community[community].append(pool)
        city = self.city
        for index, households in enumerate(city.households):
            Community(self, index, float(households), int(city.relay[index]),
                      np.array(pools_by_community[index], dtype=np.int64),
                      identity=CommunityIdentity(str(city.community_id[index]),
                                                 str(city.name[index]),
                                                 str(city.district[index]),
                                                 str(city.governance[index])))
        self.departments = Departments(list(self.agents_by_type[Department]), self.catalog,
                                       self.issue_context, self.settings, streams,
                                       streams.get("departments", "substitution"))

    def run_to_end(self) -> None:
        """Step through every working day of the scenario (Mesa's own loop, spelled out so it
        works the same on every Mesa 3 release)."""
        while self.running:
            self.step()

    # --- the working day ------------------------------------------------------
    def step(self) -> None:
        """One working day, in the order it happens; the agent types do the work."""
        day = self.day
        self._hire(day)
        issued = Batch.join([self.departments.issue(day), self.residents.complaints(day)])
        passed, refused = self.relays.pass_on(day, issued)
        informal = self.departments.substitute(issued, refused)
        self.committees.receive(day, Batch.join([passed, informal, *self._reform_work(day)]))
        self.committees.work(day, self.residents.volunteer_hours())
        self.committees.close(day)
        self.assessment.assess(day)
        self.residents.respond(day)
        if day % DAYS_PER_WEEK == DAYS_PER_WEEK - 1 or day == self.days - 1:
            overtime_per_staff_week = self.committees.end_week(day)
            self.relays.end_week(day)
            self._turn_over(day, overtime_per_staff_week)
        self.day += 1
        self.running = self.day < self.days

    def _reform_work(self, day: int) -> list[Batch]:
        """Work reforms themselves send to communities today (app duties), given the staff
        at work in each community."""
        workforce = self.workforce
        own = workforce.is_community_staff
        staff = np.bincount(workforce.community[own], workforce.staff[own],
                            minlength=self.city.n_communities)
        batches = [batch for reform in active(self.reforms, day)
                   if (batch := reform.issue(day, staff)) is not None]
        for batch in batches:
            self.ledger.add(day, "reform_items", batch.community)
        return batches

    def _hire(self, day: int) -> None:
        """Replacements for staff who quit start work once their hiring delay has passed."""
        if self.turnover is None:
            return
        own = self.workforce.is_community_staff
        hires = self.turnover.start_of_day(day)
        self.ledger.add(day, "hires", self.workforce.community[own], hires[own])

    def _turn_over(self, day: int, overtime_per_staff_week: np.ndarray) -> None:
        """Staff quit at the week's end, more of them where overtime ran high."""
        if self.turnover is None:
            return
        own = self.workforce.is_community_staff
        quits = self.turnover.end_of_week(day, overtime_per_staff_week)
        self.ledger.add(day, "quits", self.workforce.community[own], quits[own])
