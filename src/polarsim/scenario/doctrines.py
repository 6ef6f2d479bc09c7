"""The doctrine names a scenario file may use. The scenario checks names only; what a
doctrine does lives in the model (`model/doctrines.py`, one class per name), and a test
there (tests/model/test_doctrines.py) checks that both lists agree, so the schema never
imports the model."""

from __future__ import annotations

POWER_DOCTRINE_NAMES: tuple[str, ...] = (
    "security_patron",
    "connectivity_builder",
    "offshore_balancer",
    "normative_partner",
    "kin_state",
    "opportunist",
)
STATE_DOCTRINE_NAMES: tuple[str, ...] = ("multi_vector", "non_aligned", "neutral", "dependent")
