"""Actor codes and the names the bundled data use for them.

One table, used by the data loader, the scenario schema and the outputs, so a code
means the same thing everywhere. States use ISO 3166-1 alpha-3; powers use ISO3 except
the EU (the 27 current members, the UK apart, as in the bundled trade data).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ActorCode:
    code: str
    name: str
    data_name: str  # country / partner name in macro.csv and trade_shares.csv
    arms_names: tuple[str, ...] = ()  # supplier names in the SIPRI files
    # other spellings of the public sources (IMF DOTS, World Bank, SIPRI since 2022),
    # accepted in users' files of later years
    aliases: tuple[str, ...] = ()


POWERS: dict[str, ActorCode] = {
    a.code: a
    for a in (
        ActorCode("CHN", "China", "China", ("China",), ("China, P.R.: Mainland",)),
        ActorCode("RUS", "Russia", "Russia", ("Russia",), ("Russian Federation",)),
        ActorCode("USA", "United States", "USA", ("United States",), ("United States of America",)),
        ActorCode("EU", "European Union", "EU27", ("EU27 (sum of member states)",)),
        ActorCode(
            "TUR", "Turkey", "Turkey", ("Turkiye", "Turkey"), ("Türkiye", "Türkiye, Rep. of")
        ),
        ActorCode(
            "IRN", "Iran", "Iran", ("Iran",), ("Iran, Islamic Rep. of", "Iran, Islamic Rep.")
        ),
        ActorCode("IND", "India", "India", ("India",)),
        ActorCode("JPN", "Japan", "Japan", ("Japan",)),
        ActorCode(
            "KOR", "South Korea", "South Korea", ("South Korea",), ("Korea, Rep. of", "Korea, Rep.")
        ),
    )
}

STATES: dict[str, ActorCode] = {
    a.code: a
    for a in (
        ActorCode("KAZ", "Kazakhstan", "Kazakhstan", (), ("Kazakhstan, Rep. of",)),
        ActorCode("UZB", "Uzbekistan", "Uzbekistan", (), ("Uzbekistan, Rep. of",)),
        ActorCode("KGZ", "Kyrgyzstan", "Kyrgyzstan", (), ("Kyrgyz Republic", "Kyrgyz Rep.")),
        ActorCode("TJK", "Tajikistan", "Tajikistan", (), ("Tajikistan, Rep. of",)),
        ActorCode("TKM", "Turkmenistan", "Turkmenistan"),
    )
}

DEFAULT_POWERS: tuple[str, ...] = ("CHN", "RUS", "USA", "EU", "TUR")
DEFAULT_STATES: tuple[str, ...] = ("KAZ", "UZB", "KGZ", "TJK", "TKM")

#: Column suffix for the "other partners" remainder of every arena.
OTHER = "other"

#: The arenas of ties, in the order of the model's arrays (axis 0 of the ties).
ARENAS: tuple[str, ...] = ("infra", "trade", "security")
#: What each arena is called in running text and labels ("the share of infrastructure").
ARENA_NOUNS: dict[str, str] = {"infra": "infrastructure", "trade": "trade", "security": "security"}


def state_order(
    present: Iterable[str],
    wanted: Sequence[str] | None = None,
    unknown: str = "state(s) not in the results",
) -> list[str]:
    """The states to show, in order: `wanted` (each present, else ValueError starting
    with `unknown`), or the default states first and any others sorted."""
    present = list(dict.fromkeys(present))
    if wanted:
        absent = [c for c in wanted if c not in present]
        if absent:
            raise ValueError(f"{unknown}: {absent}")
        return list(dict.fromkeys(wanted))
    known = [c for c in DEFAULT_STATES if c in present]
    return known + sorted(c for c in present if c not in DEFAULT_STATES)


def code_for_data_name(name: str) -> str | None:
    """Return the actor code for a name used in the bundled data, or None."""
    for table in (POWERS, STATES):
        for a in table.values():
            if name == a.data_name or name in a.arms_names or name in a.aliases:
                return a.code
    return None
