"""Axis labels with units for the columns of the result tables, and short names for
swept parameters, so every figure and table names its quantities the same way."""

from __future__ import annotations

from polarsim.codes import ARENA_NOUNS as _ARENA_NAMES
from polarsim.codes import ARENAS

__all__ = ["metric_label", "param_axis_label", "param_label", "param_unit", "unit_interval"]

#: metric -> (name, unit). Units follow docs/metrics.md and the README's table list.
_METRICS: dict[str, tuple[str, str]] = {
    "autonomy_index": ("Autonomy index", "0–1"),
    "hedging_index": ("Hedging index", "0–1"),
    "vulnerability": ("Vulnerability", "share of GDP"),
    "diversification": ("Diversification", "0–1"),
    "coercion_loss": ("Loss to coercive acts", "share of GDP"),
    "coercive_pressure": ("Coercive pressure", "0–1"),
    "gdp_usd_bn": ("GDP", "US$ bn"),
    "trade_usd_bn": ("Trade", "US$ bn"),
    "remittances_pct_gdp": ("Remittances", "% of GDP"),
    "foreign_debt_pct_gdp": ("Foreign debt", "% of GDP"),
    "infra_stock_usd_bn": ("Infrastructure stock", "US$ bn"),
    "security_stock_tiv_musd": ("Security stock", "TIV m"),
    "mean_autonomy": ("Mean autonomy index", "0–1"),
    "con": ("Concentration of influence CON", "0–1"),
    "frustration": ("Alignment frustration", "0–1"),
}
_SUFFIXES: dict[str, tuple[str, str]] = {
    "hhi": ("partner concentration HHI", "1/K–1"),
    "power_hhi": ("power concentration HHI", "1/K–1"),
    "effective_partners": ("effective partners", "count"),
    "entropy": ("normalised entropy", "0–1"),
    "top_share": ("top-partner share", "0–1"),
    "top_gap": ("gap between top two partners", "0–1"),
    "hedging": ("hedging", "0–1"),
}

#: Metrics whose values lie in [0, 1] by construction (docs/metrics.md).
_UNIT_INTERVAL = {"autonomy_index", "hedging_index", "vulnerability", "mean_autonomy", "con"}


def _split(metric: str) -> tuple[str, str, str] | None:
    for arena in ARENAS:
        prefix = arena + "_"
        if metric.startswith(prefix):
            rest = metric[len(prefix) :]
            if rest.startswith("share_"):
                return arena, "share", rest[len("share_") :]
            if rest in _SUFFIXES:
                return arena, rest, ""
    return None


def metric_label(metric: str, change: bool = False) -> str:
    """'Autonomy index (0–1)', 'Trade share of China (share of trade)', ...; with
    ``change`` the quantity is a difference ('Change in autonomy index (0–1 scale)')."""
    from polarsim.plots.style import label

    if metric in _METRICS:
        name, unit = _METRICS[metric]
    elif (parts := _split(metric)) is not None:
        arena, kind, partner = parts
        if kind == "share":
            name = f"{_ARENA_NAMES[arena].capitalize()} share of {label(partner)}"
            unit = f"share of {_ARENA_NAMES[arena]}"
        else:
            what, unit = _SUFFIXES[kind]
            name = f"{_ARENA_NAMES[arena].capitalize()} {what}"
    else:
        name, unit = metric.replace("_", " ").capitalize(), ""
    if change:
        name = "Change in " + name[0].lower() + name[1:]
        unit = f"{unit} scale" if unit in ("0–1", "1/K–1") else unit
    return f"{name} ({unit})" if unit else name


def unit_interval(metric: str) -> bool:
    """True for metrics bounded to [0, 1] by construction."""
    return metric in _UNIT_INTERVAL or ((p := _split(metric)) is not None and p[1] == "share")


def param_label(name: str) -> str:
    """A swept parameter's short name: the last two parts of a dotted path
    ('contest.decisiveness'), or the name itself."""
    parts = name.split(".")
    if parts[0] == "parameters" and len(parts) >= 3:
        return " ".join(parts[-2:]).replace("_", " ")
    return name.replace("_", " ")


def param_unit(path: str) -> str | None:
    """The unit the scenario schema gives the parameter at a dotted path ('1' for
    dimensionless), None when the path names no documented field."""
    from pydantic import BaseModel

    from polarsim.scenario.actors import PowerSpec, StateSpec
    from polarsim.scenario.parameters import Parameters

    parts = path.split(".")
    if parts[0] == "relations" and len(parts) == 2:
        return "−1 to 1"
    if parts[0] == "parameters":
        model: type[BaseModel] = Parameters
        rest = parts[1:]
    elif parts[0] in ("powers", "states") and len(parts) == 3:
        model = PowerSpec if parts[0] == "powers" else StateSpec
        rest = parts[2:]
    else:
        return None
    for i, part in enumerate(rest):
        info = model.model_fields.get(part)
        if info is None:
            return None
        if i == len(rest) - 1:
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            unit = extra.get("unit")
            return str(unit) if unit is not None else None
        sub = info.annotation
        if not (isinstance(sub, type) and issubclass(sub, BaseModel)):
            return None
        model = sub
    return None


def param_axis_label(name: str, paths: list[str] | None = None) -> str:
    """'Contest decisiveness (1)', 'Exclusivity (1; 5 linked paths)' ..."""
    paths = paths or [name]
    unit = param_unit(paths[0])
    unit = "dimensionless" if unit == "1" else unit
    text = param_label(name)
    text = text[0].upper() + text[1:]
    if len(paths) > 1:
        if all(p.startswith("relations.") for p in paths):
            text += f" of {len(paths)} power pairs"
        else:
            owners = list(dict.fromkeys(p.split(".")[1] for p in paths if "." in p))
            kind = paths[0].split(".")[0]  # powers / states
            text += " of " + (" and ".join(owners) if len(owners) <= 2 else f"{len(owners)} {kind}")
    return f"{text} ({unit})" if unit else text
