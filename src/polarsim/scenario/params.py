"""`param()`: a pydantic Field that carries unit, source and range for the docs.

Every model parameter is declared with it, so `polarsim schema --markdown` can list
name, unit, range, meaning and source from one place.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    """Unknown keys are errors (a typo must not be silently ignored), and values are not
    coerced across types: YAML's `1e3` (a string) or `NO` (a boolean) are rejected where
    a number or a name is expected."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_default=True, strict=True, allow_inf_nan=False
    )


def complete_with_defaults(value, defaults: dict):
    """Let a scenario set some entries of a per-kind table and keep the others."""
    if isinstance(value, dict):
        return {**defaults, **value}
    return value


def param(
    default: Any,
    *,
    unit: str,
    source: str,
    description: str,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
) -> Any:
    """A documented model parameter. `source` is data, a reference, or "assumption"."""
    return Field(
        default,
        description=description,
        ge=ge,
        le=le,
        gt=gt,
        lt=lt,
        json_schema_extra={"unit": unit, "source": source},
    )
