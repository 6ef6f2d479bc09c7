"""The formulas, defaults and tables of docs/metrics.md and docs/model.md are the code's.

Each test finds the doc's text (so a reworded formula fails here and is looked at
again), computes the doc's formula by hand on small made-up arrays and compares it with
the code's function."""

import re

import numpy as np
import pytest

from polarsim import metrics
from polarsim.model.doctrines import POWER_DOCTRINES, STATE_DOCTRINES
from polarsim.model.mechanisms import coercion, responses, trade
from polarsim.scenario.parameters import MetricParams, ResponseParams
from tests.conftest import ROOT

METRICS_MD = (ROOT / "docs" / "metrics.md").read_text()
MODEL_MD = (ROOT / "docs" / "model.md").read_text()


def _flat(text: str) -> str:
    """The doc's text with its line breaks and indentation as single spaces."""
    return re.sub(r"\s+", " ", text)


def _says(doc: str, phrase: str) -> None:
    assert _flat(phrase) in _flat(doc), f"the doc no longer says: {phrase}"


RNG = np.random.default_rng(20240601)


def _shares(*shape: int) -> np.ndarray:
    x = RNG.random(shape)
    return x / x.sum(axis=-1, keepdims=True)


# --------------------------------------------------------------------------- metrics.md


def test_worked_example_of_concentration():
    m = re.search(r"shares \.5/\.3/\.2 give `HHI = ([\d.]+)` and `CON = ([\d.]+)`", METRICS_MD)
    assert m, "the worked example moved"
    s = np.array([0.5, 0.3, 0.2])
    assert metrics.hhi(s) == pytest.approx(float(m.group(1)), abs=5e-3)
    assert metrics.concentration(s) == pytest.approx(float(m.group(2)), abs=5e-5)


def test_hedging_index_is_the_documented_formula():
    _says(METRICS_MD, "`D = Σ_q |q_q − 1/Q| / (2 (1 − 1/Q))`")
    _says(METRICS_MD, "`H = T · (1 − D)`")
    power_codes = ["RUS", "CHN", "USA", "EU", "TUR"]
    poles = metrics.pole_matrix(power_codes, {"R": ["RUS"], "C": ["CHN"], "W": ["USA", "EU"]})
    named = _shares(6, 6)[:, :-1]  # the last column is the remainder
    named[0] = [0, 0, 0, 0, 0.4]  # engagement outside every pole: D = 1
    T = named.sum(axis=1)
    in_poles = named @ poles.T
    q = in_poles / in_poles.sum(axis=1, keepdims=True).clip(1e-300)
    Q = poles.shape[0]
    D = np.abs(q - 1 / Q).sum(axis=1) / (2 * (1 - 1 / Q))
    D[in_poles.sum(axis=1) == 0] = 1.0
    np.testing.assert_allclose(metrics.hedging_index(named, poles), T * (1 - D), atol=1e-12)
    assert metrics.hedging_index(named[0], poles) == 0.0


def test_vulnerability_and_coercion_loss_are_the_documented_formulas():
    _says(METRICS_MD, "`loss_p = (trade_p · (1 − substitution) + remittances_p) / gdp`")
    _says(METRICS_MD, "`(trade_lost · (1 − substitution) + remittances_withheld) / GDP`")
    trade_flow, remit = RNG.random((4, 5)) * 100, RNG.random((4, 5)) * 30
    gdp = np.array([500.0, 80.0, 1.0, 0.0])
    sub = MetricParams().substitution
    value, partner = metrics.vulnerability(trade_flow, remit, gdp, sub)
    loss = trade_flow * (1 - sub) + remit
    by_doc = np.clip(loss.max(axis=1) / np.where(gdp > 0, gdp, 1), 0, 1)
    by_doc[gdp <= 0] = 1.0
    np.testing.assert_allclose(value, by_doc, atol=1e-12)
    np.testing.assert_array_equal(partner, loss.argmax(axis=1))
    lost, withheld = RNG.random(4) * 50, RNG.random(4) * 5
    np.testing.assert_allclose(
        metrics.coercion_loss(lost, withheld, gdp, sub),
        np.where(
            gdp > 0, np.clip((lost * (1 - sub) + withheld) / np.where(gdp > 0, gdp, 1), 0, 1), 1
        ),
        atol=1e-12,
    )


def test_coercive_pressure_is_the_documented_formula():
    _says(METRICS_MD, "`1 − exp(−mean_p risk_p)`")
    risk = RNG.random((3, 5)) * 2
    np.testing.assert_allclose(
        metrics.coercive_pressure(risk), 1 - np.exp(-risk.mean(axis=1)), atol=1e-12
    )


def test_default_autonomy_weights_and_index():
    m = re.search(
        r"by default `w_div = ([\d.]+)`, `w_hedge = ([\d.]+)`,\s+`w_vul = ([\d.]+)` and "
        r"`w_free = ([\d.]+)`",
        METRICS_MD,
    )
    assert m, "the default weights moved"
    documented = tuple(float(x) for x in m.groups())
    p = MetricParams()
    defaults = (
        p.weight_diversification,
        p.weight_hedging,
        p.weight_invulnerability,
        p.weight_freedom,
    )
    assert documented == defaults
    _says(
        METRICS_MD,
        "`A = w_div · diversification + w_hedge · hedging + w_vul · (1 − vulnerability) "
        "+ w_free · (1 − coercion_loss)`",
    )
    div, hedge, vul, lost = RNG.random((4, 6))
    w = defaults
    by_doc = w[0] * div + w[1] * hedge + w[2] * (1 - vul) + w[3] * (1 - lost)
    np.testing.assert_allclose(metrics.autonomy_index(div, hedge, vul, w, lost), by_doc)
    # three weights: w_free is 0; the documented aliases are accepted
    np.testing.assert_allclose(
        metrics.autonomy_index(div, hedge, vul, (0.4, 0.3, 0.3), lost),
        metrics.autonomy_index(
            div, hedge, vul, {"diversification": 0.4, "hedging": 0.3, "invulnerability": 0.3}
        ),
    )
    with pytest.raises(ValueError):
        metrics.autonomy_index(
            div, hedge, vul, {"w_div": 0.4, "diversification": 0.4, "w_hedge": 0.3, "w_vul": 0.3}
        )


def test_recorded_metrics_follow_the_documented_formulas():
    """Diversification, hedging, composite shares and CON as docs/metrics.md defines them,
    from the recorder's own arrays of a small synthetic run."""
    from polarsim.model.model import CompetitionModel
    from polarsim.model.synthetic import synthetic_setup

    _says(METRICS_MD, "**Diversification** is `1 − Σ_a w_a · HHI*_a`")
    _says(METRICS_MD, "`I_p = Σ_s GDP_s · c[s,p]`")
    model = CompetitionModel(synthetic_setup(4, 3, years=3), rng=np.random.default_rng(0))
    while model.running:
        model.step()
    rec = model.recorder
    out = rec.state_metrics()
    w = np.asarray(rec.arena_weights)
    assert w.sum() == pytest.approx(1.0)
    named = rec.shares[..., :-1]  # (T, 3, S, P)
    power_hhi = (named**2).sum(axis=-1)
    np.testing.assert_allclose(out["diversification"], 1 - np.einsum("a,tas->ts", w, power_hhi))
    hedging = metrics.hedging_index(named, rec.poles)
    np.testing.assert_allclose(out["hedging_index"], np.einsum("a,tas->ts", w, hedging))
    composite = np.einsum("a,tasp->tsp", w, named)
    influence = np.einsum("ts,tsp->tp", rec.gdp, composite)
    influence /= influence.sum(axis=1, keepdims=True)
    con = rec.system_metrics(out["autonomy_index"])["con"]
    n = influence.shape[1]
    np.testing.assert_allclose(
        con, np.sqrt(np.clip(((influence**2).sum(axis=1) - 1 / n) / (1 - 1 / n), 0, 1))
    )


# --------------------------------------------------------------------------- model.md


def _table_rows(doc: str, header: str) -> list[list[str]]:
    lines = doc.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip("|").split("|")])
    return rows


def test_power_doctrine_table():
    rows = _table_rows(MODEL_MD, "| power doctrine |")
    assert len(rows) == len(POWER_DOCTRINES)
    for name_cell, split, follows, instruments in rows:
        d = POWER_DOCTRINES[re.match(r"`(\w+)`", name_cell).group(1)]
        assert [float(x) for x in split.split("/")] == pytest.approx(list(d.arena_split()))
        assert float(re.search(r"[\d.]+", follows).group()) == d.contest_response
        named = {x.strip().replace(" ", "_") for x in instruments.split(",")}
        assert named == set(d.instruments)


def test_state_doctrine_table():
    rows = _table_rows(MODEL_MD, "| state doctrine |")
    assert len(rows) == len(STATE_DOCTRINES)
    for name_cell, autonomy, openness, bases, alliances in rows:
        d = STATE_DOCTRINES[re.match(r"`(\w+)`", name_cell).group(1)]
        assert float(autonomy) == d.autonomy_preference
        assert float(re.match(r"[\d.]+", openness).group()) == d.security_openness
        bonus = re.search(r"\+(\d+) %", openness)
        assert d.patron_bonus == (int(bonus.group(1)) / 100 if bonus else 0.0)
        assert (bases == "yes") == d.accepts_bases
        assert (alliances == "yes") == d.joins_alliances


def test_receptivity_is_the_documented_formula():
    _says(
        MODEL_MD,
        "`rho = gate × exp(−[λ_s (w_dep · 2 s_ap + w_lock · lock-in_sp + w_back · memory_sp) "
        "+ w_risk · risk_sp])`",
    )
    S, P = 4, 5
    shares, lock, risk, memory = (
        _shares(3, S, P),
        RNG.random((S, P)),
        RNG.random((S, P)),
        RNG.random((S, P)),
    )
    lam, gates = RNG.random(S), RNG.random((3, S, P)) * 1.5
    prm = ResponseParams()
    cost = (
        lam[:, None]
        * (
            prm.dependence_weight * 2 * shares
            + prm.lock_in_weight * lock
            + prm.backlash_weight * memory
        )
        + prm.risk_weight * risk
    )
    np.testing.assert_allclose(
        responses.receptivity(shares, lock, risk, memory, lam, gates, prm),
        np.clip(gates * np.exp(-cost), 0, 1),
        atol=1e-12,
    )


def test_risk_pressure_and_act_probability_are_the_documented_formulas():
    _says(MODEL_MD, "`Σ_q exclusivity_q × max(rivalry_qp, 0) × leverage_qs × (1 + memory_sq)`")
    _says(MODEL_MD, "`exclusivity_p × leverage_ps × Σ_q max(rivalry_pq, 0) c_sq`")
    _says(MODEL_MD, "`1 − exp(−rate × pressure)`")
    S, P = 4, 5
    lever, memory, composite = RNG.random((S, P)), RNG.random((S, P)), _shares(S, P)
    excl = RNG.random(P)
    rivalry = RNG.uniform(-1, 1, (P, P))
    rivalry = np.triu(rivalry, 1) + np.triu(rivalry, 1).T
    risk = np.einsum("q,qp,sq,sq->sp", excl, np.maximum(rivalry, 0), lever, 1 + memory)
    np.testing.assert_allclose(responses.retaliation_risk(lever, excl, rivalry, memory), risk)
    press = excl[None, :] * lever * np.einsum("pq,sq->sp", np.maximum(rivalry, 0), composite)
    np.testing.assert_allclose(coercion.pressure(excl, lever, composite, rivalry), press)
    prm = type("Prm", (), {"rate": 3.0})()
    np.testing.assert_allclose(coercion.act_probability(press, prm), 1 - np.exp(-3.0 * press))


def test_damped_trend_horizon():
    _says(MODEL_MD, "`τ_p(t) = exp(w × g_p × Σ_{i=1..t} φ^i)`")
    _says(MODEL_MD, "`φ = 0.5^(1/half-life)`")
    half_life, n = 3.0, 12
    phi = 0.5 ** (1 / half_life)
    by_doc = [sum(phi**i for i in range(1, t + 1)) for t in range(n)]
    np.testing.assert_allclose(trade.damped_horizon(n, half_life), by_doc)
    assert by_doc[-1] < phi / (1 - phi)
