"""The trade that commissioned projects carry, kept apart from the gravity part of trade:
one row per project, with the commodity whose price moves it and the year it opened."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from polarsim.errors import PolarsimInputError

#: Most commissioned projects one run may hold (rows of the buffer; 240 bytes each for
#: the five states and five powers, so at most about 16 MB with the doubling). The
#: baseline scenario run to 2100 commissions about 250; far more means the scenario's
#: growth or infrastructure parameters make the number of projects explode, and the run
#: would exhaust memory. The schema rejects the usual cause first (a growth_pct that
#: compounds too far, polarsim.scenario.growth); this bound catches the rest.
MAX_PROJECT_ROWS = 50_000

#: Most projects the powers may propose in one year of a run, all states together. The
#: baseline proposes at most about 15 a year up to 2100, and the extremes of the
#: documented ranges a few thousand (growth_pct at its schema bound, proposal_rate 10
#: with the smallest project cost); every proposal is an agent and a few rows of the
#: events table, so far more would exhaust memory within a few simulated years.
MAX_PROPOSALS_PER_YEAR = 10_000

#: Parameters that set how many projects a run commissions, named when it has too many.
PROJECT_DRIVERS = (
    "growth_pct of the powers and states",
    "powers.*.budget_pct_gdp",
    "parameters.infrastructure.proposal_rate",
    "parameters.infrastructure.mean_cost_usd_bn",
    "time.end_year",
)


def _drivers_text() -> str:
    return f"the number of projects grows with {', '.join(PROJECT_DRIVERS)}; lower one of them"


def check_proposals(counts: np.ndarray, years_run: int, powers: Sequence[str] = ()) -> None:
    """Stop a run whose powers propose more than MAX_PROPOSALS_PER_YEAR projects in one
    year (`counts`: (S, P) proposals of the year, before any agent is made), naming the
    power with the most. Raises PolarsimInputError."""
    total = int(np.add.reduce(counts, axis=None))  # counts.sum(), without its wrapper
    if total <= MAX_PROPOSALS_PER_YEAR:
        return
    by_power = counts.sum(axis=0)
    top = int(by_power.argmax())
    who = ""
    if top < len(powers):
        who = (
            f"; {by_power[top] / total:.0%} by {powers[top]} (check powers.{powers[top]}, "
            "its growth_pct and budget_pct_gdp)"
        )
    raise PolarsimInputError(
        f"the powers proposed {total:,} projects in year {years_run} of the run, more "
        f"than the model's bound of {MAX_PROPOSALS_PER_YEAR:,} projects a year "
        f"(the baseline proposes at most about 15){who}: {_drivers_text()}",
        field="parameters.infrastructure",
    )


class ProjectFlows:
    """Rows of (S, P+1) trade value per year at full capacity (the last column: other
    partners), in buffers that double when full: a run adds a few rows a year, and
    joining whole arrays each time cost more than the rest of the trade step.

    `partners` (optional) are the codes of the P powers: a run that outgrows
    MAX_PROJECT_ROWS then names the power most of its projects trade with."""

    def __init__(
        self,
        n_states: int,
        n_partners: int,
        capacity: int = 16,
        *,
        partners: Sequence[str] = (),
        max_rows: int = MAX_PROJECT_ROWS,
    ):
        self._values = np.zeros((capacity, n_states, n_partners))
        self._price = np.zeros(capacity, dtype=int)
        self._opened = np.zeros(capacity, dtype=int)
        self._partner = np.zeros(capacity, dtype=int)
        self._n = 0
        self._partners = list(partners)
        self._max_rows = max_rows

    def __len__(self) -> int:
        return self._n

    def add(self, value: np.ndarray, partner: int, price: int, opened: int) -> np.ndarray:
        """A project carrying `value` (S,) with `partner` (-1: other partners); returns
        its row. Raises PolarsimInputError past MAX_PROJECT_ROWS rows."""
        n = self._next_row(partner, price, opened)  # first: it may replace the buffers
        row = self._values[n]
        row[:, partner] = value
        return row

    def add_cell(self, state: int, value: float, partner: int, price: int, opened: int) -> None:
        """`add` for a project whose trade is `value` with one state alone (the other
        cells of its row stay 0)."""
        n = self._next_row(partner, price, opened)  # first: it may replace the buffers
        self._values[n, state, partner] = value

    def _next_row(self, partner: int, price: int, opened: int) -> int:
        """Index of a new row (zeros) for a project's trade, its price group, opening year
        and partner set; the buffers doubled when full."""
        n = self._n
        if n >= self._max_rows:
            raise self._too_many(opened)
        if n == len(self._price):
            self._values = np.concatenate([self._values, np.zeros_like(self._values)])
            self._price = np.concatenate([self._price, np.zeros_like(self._price)])
            self._opened = np.concatenate([self._opened, np.zeros_like(self._opened)])
            self._partner = np.concatenate([self._partner, np.zeros_like(self._partner)])
        self._price[n] = price
        self._opened[n] = opened
        self._partner[n] = partner
        self._n = n + 1
        return n

    def widen(self, keep: np.ndarray, n_partners: int, partners: Sequence[str]) -> None:
        """Powers enter the run (model/entry.py): the old partner columns move to the
        columns `keep` of `n_partners` (the other partners stay last); the rows so far
        trade nothing with the new ones."""
        values = np.zeros((len(self._price), self._values.shape[1], n_partners))
        values[..., keep] = self._values[..., :-1]
        values[..., -1] = self._values[..., -1]
        self._values = values
        rows = self._partner[: self._n]
        rows[rows >= 0] = keep[rows[rows >= 0]]
        self._partners = list(partners)

    def _too_many(self, opened: int) -> PolarsimInputError:
        counts = np.bincount(self._partner[: self._n] + 1)  # index 0: other partners
        top = int(counts.argmax()) - 1
        driver = ""
        if 0 <= top < len(self._partners):
            share = counts[top + 1] / self._n
            code = self._partners[top]
            driver = f"; {share:.0%} of them trade with {code} (check powers.{code})"
        return PolarsimInputError(
            f"the run commissioned more than {self._max_rows:,} projects by year {opened} "
            f"of the run, the model's bound (about 250 to 2100 in the "
            f"baseline){driver}: {_drivers_text()}",
            field="parameters.infrastructure",
        )

    @property
    def values(self) -> np.ndarray:
        """(N, S, P+1) a view of the rows so far."""
        return self._values[: self._n]

    @property
    def price(self) -> np.ndarray:
        """(N,) index of the commodity price moving each row (len(COMMODITIES): none)."""
        return self._price[: self._n]

    @property
    def opened(self) -> np.ndarray:
        """(N,) year index (0 = the start year; negative: opened before it)."""
        return self._opened[: self._n]
