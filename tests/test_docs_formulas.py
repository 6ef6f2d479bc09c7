"""The formulas, defaults and tables of docs/metrics.md, model.md and odd.md are the code's.

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


# --------------------------------------------------------------------------- odd.md

ODD_MD = (ROOT / "docs" / "odd.md").read_text()

#: the short kind names the ODD's parameter tables use
_KIND_NAMES = {"gas": "gas_pipeline", "oil": "oil_pipeline"}


def _kind_values(cell: str) -> dict[str, float]:
    """The cell "gas 4, oil 15, railway/road 400" as {kind: value}, in the schema's kind names."""
    out = {}
    for part in cell.split(","):
        names, value = part.strip().rsplit(" ", 1)
        for name in names.split("/"):
            out[_KIND_NAMES.get(name, name.replace(" ", "_"))] = float(value)
    return out


def test_odd_parameter_tables_give_the_schema_defaults():
    from polarsim.scenario.parameters import Parameters

    defaults = Parameters()
    seen = 0
    for line in ODD_MD.splitlines():
        m = re.match(r"\| `([a-z_]+)\.([a-z_]+)`(?: \([^)]*\))? \| ([^|]+) \|", line)
        if not m or m.group(1) not in Parameters.model_fields:
            continue
        group, name, cell = m.group(1), m.group(2), m.group(3).strip()
        value = getattr(getattr(defaults, group), name)
        seen += 1
        if isinstance(value, dict) and name == "arena_weights":
            assert cell == "1/3 each" and set(value.values()) == {1 / 3}, line
        elif isinstance(value, dict) and name == "poles":
            poles = dict(re.findall(r"(\w+) \{([^}]*)\}", cell))
            assert {k: v.split(", ") for k, v in poles.items()} == value, line
        elif isinstance(value, dict):
            assert _kind_values(cell) == pytest.approx(value), line
        else:
            assert float(cell) == pytest.approx(value), line
    assert seen >= 70, "the parameter tables moved"


def test_odd_doctrine_tables():
    rows = _table_rows(ODD_MD, "| doctrine (default power) |")
    assert len(rows) == len(POWER_DOCTRINES)
    for name_cell, split, response, instruments, kinds, _ in rows:
        d = POWER_DOCTRINES[re.match(r"`(\w+)`", name_cell).group(1)]
        assert [float(x) for x in split.split("/")] == pytest.approx(list(d.arena_split()))
        assert float(response) == d.contest_response
        assert [x.strip().replace(" ", "_") for x in instruments.split(",")] == list(d.instruments)
        assert _kind_values(kinds) == pytest.approx(d.project_kinds)
    number = r"(\d+(?:\.\d+)?)"
    states = re.findall(
        rf"`(\w+)` \([A-Z, ]+\) λ {number},\s+openness {number}(?:, patron bonus {number})?",
        ODD_MD,
    )
    assert {s[0] for s in states} == set(STATE_DOCTRINES)
    for name, autonomy, openness, bonus in states:
        d = STATE_DOCTRINES[name]
        assert (float(autonomy), float(openness)) == (d.autonomy_preference, d.security_openness)
        assert float(bonus or 0) == d.patron_bonus, name


def test_odd_schedule_is_the_order_of_the_step():
    import inspect

    from polarsim.model.model import CompetitionModel

    rows = _table_rows(ODD_MD, "| # | process |")
    calls = {
        "events": "self._apply_events()",
        "drivers": "self._drivers()",
        "engagement": "self._engage()",
        "project proposals": "projects.proposal_counts(",
        "project life cycles": "self.pipeline.step(self)",
        "state responses": "self._respond()",
        "coercion": "self._coerce()",
        "trade": "self._update_trade()",
        "security": "self._update_security()",
        "infrastructure": "self._update_infrastructure()",
        "remittances": "self._update_remittances()",
        "record": "self.recorder.record(self)",
    }
    assert [int(r[0]) for r in rows] == list(range(1, len(calls) + 1))
    source = inspect.getsource(CompetitionModel.step)
    where = [source.index(calls[r[1]]) for r in rows]
    assert where == sorted(where), "the documented order is not the step's"


def test_odd_random_streams():
    from polarsim.model.model import CompetitionModel
    from polarsim.model.synthetic import synthetic_setup

    _says(ODD_MD, "the model then spawns three child\nstreams (`Generator.spawn(3)`)")
    _says(ODD_MD, "all years are drawn at once at initialisation, an array (years, S, P)")
    _says(ODD_MD, "all years drawn at once at initialisation, (years, S, P+1)")
    S, P, years = 3, 2, 4
    model = CompetitionModel(synthetic_setup(S, P, years=years), rng=np.random.default_rng(7))
    children = np.random.default_rng(7).spawn(3)
    for stream, child in zip(
        (model.rng_projects, model.rng_coercion, model.rng_trade), children, strict=True
    ):
        assert stream.bit_generator.seed_seq.spawn_key == child.bit_generator.seed_seq.spawn_key
    assert model._coercion_uniforms.shape == (years, S, P)
    assert model._trade_noise.shape == (years, S, P + 1)


def test_odd_trade_trend_cutoff_is_the_last_year_of_the_trade_shares():
    from polarsim.model import setup

    m = re.search(r"`t0 > (\d{4})` \(the last year of the bundled trade shares", ODD_MD)
    assert m, "the trend's cut-off moved"
    first, last = setup._observed_trade_years()
    assert int(m.group(1)) == last
    _says(ODD_MD, f"`W = min(trend_window_years, t0 - {first})`")


def test_odd_military_spending_years():
    from polarsim import data

    m = data.load_macro()
    m = m[m["indicator"] == "milex_current_usd_m"].dropna(subset=["value"])
    years = {c: set(m[m["actor"] == c]["year"]) for c in ("TKM", "UZB", "TJK")}
    _says(ODD_MD, "TKM no year, UZB only 2000-2003 and 2018, TJK 2005-2007 and 2013 missing")
    assert years["TKM"] == set()
    assert years["UZB"] == {2000, 2001, 2002, 2003, 2018}
    assert set(range(2000, 2024)) - years["TJK"] == {2005, 2006, 2007, 2013}
