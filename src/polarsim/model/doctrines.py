"""Doctrines of powers and states: small classes with machine-readable metadata.

A power doctrine says how a power splits its regional budget across arenas, how
strongly it follows rivals into contested states, which coercive instruments it uses
and which projects it builds. A state doctrine says how much the state values autonomy
and which security ties it refuses. Every doctrine passes the shared contract tests in
tests/model/test_doctrines.py (metadata complete, outputs valid, deterministic).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from polarsim.model.mechanisms.arrays import ONE, all_positive

ARENA_INDEX = {"infra": 0, "trade": 1, "security": 2}
INSTRUMENTS = ("remittances", "transit", "debt", "protection", "market_access")


class PowerDoctrine:
    name: ClassVar[str]
    description: ClassVar[str]
    reference: ClassVar[str]
    arena_weights: ClassVar[tuple[float, float, float]]  # infra, trade, security
    contest_response: ClassVar[float]  # extra effort per unit of rival presence
    instruments: ClassVar[tuple[str, ...]]
    project_kinds: ClassVar[dict[str, float]]  # preference over project kinds

    @classmethod
    def metadata(cls) -> dict:
        return {
            "name": cls.name,
            "description": cls.description,
            "reference": cls.reference,
            "arena_weights": dict(zip(ARENA_INDEX, cls.arena_weights, strict=True)),
            "contest_response": cls.contest_response,
            "instruments": list(cls.instruments),
            "project_kinds": dict(cls.project_kinds),
            "uses_military_ties": cls.arena_weights[2] >= 0.3,
        }

    @classmethod
    def arena_split(cls) -> np.ndarray:
        w = np.asarray(cls.arena_weights, dtype=float)
        return w / w.sum()


def allocation_weights(
    value: np.ndarray, presence: np.ndarray, welcome: np.ndarray, response
) -> np.ndarray:
    """value x (1 + response x rival presence) x welcome, normalised over states (axis 1).
    Works for one power ((A, S) arrays) or all at once ((A, S, P) arrays, response (P,))."""
    w = value * (ONE + response * presence)  # ONE: 1.0, converted once
    w *= welcome  # the product with welcome in place
    total = np.add.reduce(w, axis=1, keepdims=True)  # w.sum(...), without its wrapper
    if all_positive(total):
        w /= total  # the masked division's quotients, every total positive
        return w
    return np.divide(w, total, out=np.zeros(w.shape), where=total > 0)


class SecurityPatron(PowerDoctrine):
    name = "security_patron"
    description = (
        "Keeps a sphere of privileged interests: security first, defends its position "
        "where rivals advance, uses remittances, transit and protection as levers."
    )
    reference = "Allison 2004; Cooley 2012 (Great Games, Local Rules)"
    arena_weights = (0.2, 0.3, 0.5)
    contest_response = 1.0
    instruments = ("remittances", "transit", "protection", "market_access")
    project_kinds = {"gas_pipeline": 0.4, "power_line": 0.2, "railway": 0.2, "hydropower": 0.2}


class ConnectivityBuilder(PowerDoctrine):
    name = "connectivity_builder"
    description = (
        "Engages through infrastructure, loans and trade, avoids military entanglement, "
        "levers are debt and market access."
    )
    reference = "Cooley 2012; Peyrouse, Boonstra & Laruelle 2012"
    arena_weights = (0.55, 0.35, 0.10)
    contest_response = 0.3
    instruments = ("debt", "market_access")
    project_kinds = {
        "railway": 0.3,
        "road": 0.25,
        "gas_pipeline": 0.25,
        "oil_pipeline": 0.1,
        "dry_port": 0.1,
    }


class OffshoreBalancer(PowerDoctrine):
    name = "offshore_balancer"
    description = (
        "Engages to keep any single power from dominating: security cooperation and "
        "market access, little infrastructure."
    )
    reference = "Walt 1987 (balance of threat); Mearsheimer 2001"
    arena_weights = (0.15, 0.30, 0.55)
    contest_response = 0.6
    instruments = ("market_access", "protection")
    project_kinds = {"power_line": 0.6, "road": 0.4}


class NormativePartner(PowerDoctrine):
    name = "normative_partner"
    description = (
        "Trade, regulation and connectivity grants with conditions; weak security role, "
        "lever is market access."
    )
    reference = "EU Strategy for Central Asia 2007; Melvin 2008"
    arena_weights = (0.35, 0.55, 0.10)
    contest_response = 0.2
    instruments = ("market_access",)
    project_kinds = {"corridor": 0.4, "road": 0.3, "power_line": 0.3}


class KinState(PowerDoctrine):
    name = "kin_state"
    description = "Cultural and linguistic kinship, contractors and trade; modest security role."
    reference = "Balci 2018; Turkic Council 2009"
    arena_weights = (0.30, 0.55, 0.15)
    contest_response = 0.2
    instruments = ("market_access",)
    project_kinds = {"road": 0.5, "corridor": 0.5}


class Opportunist(PowerDoctrine):
    name = "opportunist"
    description = "Follows commercial openings: trade and transport, no security role."
    reference = "assumption (generic middle power)"
    arena_weights = (0.40, 0.55, 0.05)
    contest_response = 0.3
    instruments = ("market_access",)
    project_kinds = {"railway": 0.5, "road": 0.5}


class StateDoctrine:
    name: ClassVar[str]
    description: ClassVar[str]
    reference: ClassVar[str]
    autonomy_preference: ClassVar[float]
    security_openness: ClassVar[float]  # cap on receptivity to foreign security ties
    accepts_bases: ClassVar[bool]
    joins_alliances: ClassVar[bool]
    patron_bonus: ClassVar[float] = 0.0  # extra receptivity to the main security partner

    @classmethod
    def metadata(cls) -> dict:
        return {
            "name": cls.name,
            "description": cls.description,
            "reference": cls.reference,
            "autonomy_preference": cls.autonomy_preference,
            "security_openness": cls.security_openness,
            "accepts_bases": cls.accepts_bases,
            "joins_alliances": cls.joins_alliances,
            "patron_bonus": cls.patron_bonus,
        }


class StateGates:
    """Multiplicative gates on the states' receptivity, (3, S, P), for fixed doctrines:
    security ties are capped by each state's openness, and the main security partner of
    a dependent state gets its patron bonus. What does not depend on the shares is worked
    out once: a run asks for the gates every year, and building them from scratch took
    more array calls than the rest of the states' response."""

    def __init__(self, openness: np.ndarray, patron_bonus: np.ndarray, n_powers: int):
        S, P = len(openness), n_powers
        self._base = np.ones((3, S, P))
        self._base[2] = openness[:, None]
        # the patron's cell, openness x (1 + bonus), at its flat index (2, s, patron)
        self._patron_value = self._base[2, :, 0] * (1.0 + patron_bonus) if P else None
        self._base.setflags(write=False)  # returned as it is without powers
        self._row_start = 2 * S * P + P * np.arange(S)
        # the gates of each set of main security partners met so far, read-only: the
        # partners rarely change from one year to the next, and building the gates took
        # three array calls a year more than finding them
        self._by_patrons: dict[bytes, np.ndarray] = {}

    def __call__(self, security_named: np.ndarray) -> np.ndarray:
        """security_named (S, P) -> gates (3, S, P) (read-only)."""
        if self._patron_value is None:
            return self._base
        patron = security_named.argmax(axis=1)  # the method: np.argmax's wrapper costs more
        key = patron.tobytes()
        g = self._by_patrons.get(key)
        if g is None:
            g = self._base.copy()
            g.reshape(-1)[self._row_start + patron] = self._patron_value
            g.setflags(write=False)
            self._by_patrons[key] = g
        return g


class MultiVector(StateDoctrine):
    name = "multi_vector"
    description = "Balances all partners to maximise room for manoeuvre (Kazakhstan)."
    reference = "Cummings 2003; Kuik 2016 (hedging)"
    autonomy_preference = 0.7
    security_openness = 1.0
    accepts_bases = True
    joins_alliances = True


class NonAligned(StateDoctrine):
    name = "non_aligned"
    description = "Avoids alliances and foreign bases, bilateral deals only (Uzbekistan)."
    reference = "Uzbekistan's foreign-policy concept; Tolipov 2011"
    autonomy_preference = 0.8
    security_openness = 0.7
    accepts_bases = False
    joins_alliances = False


class Neutral(StateDoctrine):
    name = "neutral"
    description = "Permanent neutrality: no alliances, no bases, few military ties (Turkmenistan)."
    reference = "UN GA resolution 50/80 (1995); Anceschi 2009"
    autonomy_preference = 0.9
    security_openness = 0.4
    accepts_bases = False
    joins_alliances = False


class Dependent(StateDoctrine):
    name = "dependent"
    description = (
        "Relies on a patron for security and income; takes immediate gains over autonomy "
        "(Kyrgyzstan, Tajikistan)."
    )
    reference = "Snyder 1984 (abandonment fear); Cooley 2012"
    autonomy_preference = 0.3
    security_openness = 1.0
    accepts_bases = True
    joins_alliances = True
    patron_bonus = 0.5


POWER_DOCTRINES: dict[str, type[PowerDoctrine]] = {
    c.name: c
    for c in (
        SecurityPatron,
        ConnectivityBuilder,
        OffshoreBalancer,
        NormativePartner,
        KinState,
        Opportunist,
    )
}
STATE_DOCTRINES: dict[str, type[StateDoctrine]] = {
    c.name: c for c in (MultiVector, NonAligned, Neutral, Dependent)
}
