"""YAML with line numbers: `yaml.safe_load` semantics plus a side table of where each
mapping key and sequence item was written.

    data, where = load_with_positions(text, "my.yaml")
    where[("powers", "RUS", "exclusivty")]   # Mark(file='my.yaml', line=7, column=5, ...)

Paths are tuples of the constructed keys (strings, numbers, ...) and list indices, the
same keys as in `data`. Lines and columns count from 1. Only the safe constructors are
used: nothing in a file can run code or build arbitrary objects.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[Any, ...]

_MAX_MARKS = 200_000  # a file full of aliases must not make the table explode


class Mark(NamedTuple):
    """Where a key (or a list item) was written, and the raw text of its value."""

    file: str
    line: int | None = None  # 1-based; None: no line (a `--set` value)
    column: int | None = None  # 1-based
    key_text: str | None = None  # the key as written (e.g. `NO` for a key read as false)
    value_text: str | None = None  # a scalar value as written (e.g. `1e3`, `off`)
    value_plain: bool = False  # the scalar value was written without quotes


class PositionLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` that also returns, for every mapping key and sequence item of
    the document, the position where it was written (see `load_with_positions`)."""

    def get_data_and_positions(self, file: str) -> tuple[Any, dict[Path, Mark]]:
        node = self.get_single_node()
        if node is None:
            return None, {}
        data = self.construct_document(node)  # as yaml.safe_load; merges `<<` keys in place
        marks: dict[Path, Mark] = {}
        self._record(node, (), marks, file, set())
        return data, marks

    def _record(
        self, node: Node, path: Path, marks: dict[Path, Mark], file: str, seen: set[int]
    ) -> None:
        # each collection node once: aliases keep the anchor's marks only (and a recursive
        # or exponential alias structure cannot loop or blow up)
        if id(node) in seen or len(marks) > _MAX_MARKS:
            return
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                try:
                    key = self.construct_object(key_node, deep=True)
                    hash(key)
                except Exception:  # construction already succeeded once
                    continue
                sub = (*path, key)
                marks[sub] = _mark(file, key_node, value_node)
                self._record(value_node, sub, marks, file, seen)
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                sub = (*path, i)
                marks[sub] = _mark(file, item, item)
                self._record(item, sub, marks, file, seen)


def _mark(file: str, where: Node, value: Node) -> Mark:
    scalar = isinstance(value, ScalarNode)
    return Mark(
        file=file,
        line=where.start_mark.line + 1,
        column=where.start_mark.column + 1,
        key_text=where.value if isinstance(where, ScalarNode) and where is not value else None,
        value_text=value.value if scalar else None,
        value_plain=scalar and value.style is None,
    )


def load_with_positions(text: str, file: str) -> tuple[Any, dict[Path, Mark]]:
    """Parse `text` exactly as `yaml.safe_load` does and return (data, marks). Raises
    `yaml.YAMLError` on malformed YAML."""
    loader = PositionLoader(text)
    try:
        return loader.get_data_and_positions(file)
    finally:
        loader.dispose()


def error_position(exc: yaml.YAMLError, text: str) -> tuple[int | None, int | None]:
    """(line, column), 1-based, of a YAML error when the parser gives one."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line + 1, mark.column + 1
    position = getattr(exc, "position", None)  # ReaderError: a character offset
    if isinstance(position, int):
        before = text[:position]
        return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1
    return None, None


def error_text(exc: yaml.YAMLError) -> str:
    """The parser's explanation on one line, without its own position notes."""
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character
        shown = f"#x{char:04x}" if isinstance(char, int) else repr(char)
        return f"character {shown} is not allowed in YAML ({exc.reason})"
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    cmark = getattr(exc, "context_mark", None)
    if problem:
        text = problem
        if context:
            where = f" (opened on line {cmark.line + 1})" if cmark is not None else ""
            text = f"{context}{where}: {problem}"
        return text
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
