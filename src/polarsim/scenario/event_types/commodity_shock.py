"""A commodity price change: moves the value of the trade pipelines and power lines
carry, and exporters' GDP in projected years."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from polarsim.scenario.events import COMMODITIES, Codes, LastingEvent

if TYPE_CHECKING:
    from polarsim.model.conditions import Conditions


class CommodityShockEvent(LastingEvent):
    """A price change: moves the value of pipeline and power trade, and exporters' GDP
    in projected years."""

    type: Literal["commodity_shock"]
    commodity: Literal["oil", "gas", "metals", "electricity"]
    price_change: float = Field(gt=-1, le=5, description="relative price change (-0.4 = -40 %)")

    texts = {"commodity_shock": "{actor} price shock ({value:+.0%})"}
    # exporters' GDP follows the price (model/drivers.py)
    moves_drivers = True
    example = {
        "type": "commodity_shock",
        "year": 2006,
        "end_year": 2007,
        "commodity": "gas",
        "price_change": -0.4,
    }

    def compile_span(self, conditions: Conditions, span: slice, codes: Codes) -> None:
        conditions.price[span, COMMODITIES.index(self.commodity)] *= 1.0 + self.price_change

    def log_entry(self) -> tuple[str, str, str, str, float]:
        return ("commodity_shock", self.commodity, "", self.note, self.price_change)
