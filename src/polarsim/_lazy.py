"""Lazy package exports (PEP 562): a package names what it exports and where it lives,
and the module is imported on first use. `polarsim --version`, `--help` and `validate`
then start without importing Mesa, matplotlib or SciPy."""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable


class _Package(types.ModuleType):
    """A package whose export shadows a submodule of the same name (`polarsim.run` the
    function and `polarsim.run` the module): when the import system binds the submodule
    to the package, the export is bound instead, as an eager `from .run import run` in
    `__init__` would have done."""

    _exports: dict[str, str]

    def __setattr__(self, name: str, value: object) -> None:
        exports = self.__dict__.get("_exports", {})
        if (
            isinstance(value, types.ModuleType)
            and exports.get(name) == value.__name__
            and hasattr(value, name)
        ):
            value = getattr(value, name)
        super().__setattr__(name, value)


def lazy_exports(
    package: str, namespace: dict, exports: dict[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """(__getattr__, __dir__) for `package`, whose `exports` map a public name to the
    module that defines it; a name is imported once and then kept in `namespace`."""
    module = sys.modules[package]
    module.__class__ = _Package
    namespace["_exports"] = exports

    def __getattr__(name: str) -> object:
        where = exports.get(name)
        if where is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted((set(namespace) | set(exports)) - {"_exports"})

    return __getattr__, __dir__
