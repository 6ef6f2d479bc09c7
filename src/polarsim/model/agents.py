"""Agents: great powers and regional states (Mesa agents).

Agents hold identity, attributes and decisions; the tie arrays they act on live in
the model (state in arrays, identity in agents), so the mechanisms stay vectorised.
The infrastructure projects the powers propose and the states accept or refuse are
plain records that one loop steps each year (model/pipeline.py): a run makes a few
hundred, and an agent per project cost several times its decisions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from polarsim.codes import ARENAS
from polarsim.model.doctrines import PowerDoctrine, StateDoctrine
from polarsim.model.mechanisms import coercion

if TYPE_CHECKING:
    from polarsim.model.model import CompetitionModel


class GreatPower(mesa.Agent):
    """A great power: proposes projects where it engages (the year's counts drawn for
    all powers at once, the projects made by model/pipeline.py), coerces where it
    demands exclusivity."""

    def __init__(
        self, model: CompetitionModel, index: int, code: str, doctrine: type[PowerDoctrine]
    ):
        super().__init__(model)
        self.index = index
        self.code = code
        self.doctrine = doctrine

    # ----- state, for Mesa reporters (this year's values, read from the model) --------
    @property
    def doctrine_name(self) -> str:
        return self.doctrine.name

    @property
    def budget_usd_m(self) -> float:
        """This year's regional budget, USD m."""
        return float(self.model.budget[self.index])

    @property
    def exclusivity(self) -> float:
        """How strongly it demands exclusive ties (0-1), events included."""
        return float(self.model.exclusivity[self.index])

    @property
    def effort_usd_m(self) -> dict[str, float]:
        """This year's engagement by arena over all states, USD m."""
        effort = self.model.effort[:, :, self.index].sum(axis=1)
        return dict(zip(ARENAS, effort.tolist(), strict=True))

    @property
    def influence_share(self) -> float:
        """Its share of the powers' regional influence: the states' ties with it
        weighted by their GDP (the measure behind CON, metrics.concentration)."""
        m = self.model
        weight = m.gdp_state @ m.composite_shares()
        total = weight.sum()
        return float(weight[self.index] / total) if total > 0 else 0.0

    def coerce(self) -> None:
        """Act on the states where this year's draw gave a coercive act: pick the
        instrument of the doctrine with the most leverage."""
        m, p = self.model, self.index
        instruments = self.doctrine.instruments
        for s in m.coercion_draws[:, p].nonzero()[0].tolist():
            # max over the usable instruments of coercion.instrument_leverage, only the
            # doctrine's worked out (the shares again for each state: an act of
            # protection moves them)
            instrument = coercion.strongest_instrument(
                p, s, instruments, m.ties.shares(), m.ties.remittances, m.ties.debt, m.gdp_state
            )
            if instrument is not None:
                m.apply_coercion(p, s, instrument)


class RegionalState(mesa.Agent):
    """A Central Asian state: decides on projects offered to it (the rule in
    mechanisms/projects.py, applied by model/pipeline.py), responds to the powers'
    engagement and pressure."""

    def __init__(
        self, model: CompetitionModel, index: int, code: str, doctrine: type[StateDoctrine]
    ):
        super().__init__(model)
        self.index = index
        self.code = code
        self.doctrine = doctrine

    # ----- state, for Mesa reporters (this year's values, read from the model) --------
    @property
    def doctrine_name(self) -> str:
        return self.doctrine.name

    @property
    def ties(self) -> dict[str, dict[str, float]]:
        """This year's share of each partner (the powers, then "other") by arena."""
        m = self.model
        partners = [*m.setup.powers, "other"]
        shares = m.ties.shares()[:, self.index, :].tolist()
        return {
            a: dict(zip(partners, row, strict=True)) for a, row in zip(ARENAS, shares, strict=True)
        }

    @property
    def receptivity(self) -> dict[str, dict[str, float]]:
        """How open it is to each power by arena this year (mechanisms/responses.py)."""
        m = self.model
        rows = m.receptivity[:, self.index, :].tolist()
        return {
            a: dict(zip(m.setup.powers, r, strict=True)) for a, r in zip(ARENAS, rows, strict=True)
        }

    @property
    def autonomy_index(self) -> float:
        """This year's autonomy index (docs/metrics.md)."""
        return float(self.model.year_metrics()["autonomy_index"][self.index])

    @property
    def top_partner(self) -> str:
        """The power it has the strongest ties with this year (arenas weighted)."""
        m = self.model
        return m.setup.powers[int(m.composite_shares()[self.index].argmax())]

    @property
    def debt_usd_bn(self) -> float:
        """Project debt it owes the powers, USD bn."""
        return float(self.model.ties.debt[self.index].sum())
