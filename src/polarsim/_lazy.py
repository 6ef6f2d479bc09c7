"""Lazy package exports (PEP 562): a package names what it exports and where it lives,
and the module is imported on first use. `polarsim --version`, `--help` and `validate`
then start without importing Mesa, matplotlib or SciPy."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(
    package: str, namespace: dict, exports: dict[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """(__getattr__, __dir__) for `package`, whose `exports` map a public name to the
    module that defines it; a name is imported once and then kept in `namespace`."""

    def __getattr__(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
