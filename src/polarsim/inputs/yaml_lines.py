"""YAML with line numbers: `yaml.safe_load` semantics plus a side table of where each
mapping key and sequence item was written.

    data, where = load_with_positions(text, "my.yaml")
    where[("powers", "RUS", "exclusivty")]   # Mark(file='my.yaml', line=7, column=5, ...)

Paths are tuples of the constructed keys (strings, numbers, ...) and list indices, the
same keys as in `data`. Lines and columns count from 1. Only the safe constructors are
used: nothing in a file can run code or build arbitrary objects.

Strict: before anything is built, the document is checked for what YAML 1.1 (PyYAML)
reads differently from what a person (or a YAML 1.2 parser) reads: a key written twice
in one mapping (YAML keeps the last silently), integers with a leading zero (octal:
`010` is 8), base-60 numbers (`1:30` is 90) and hexadecimal or binary integers (`0x1F`,
`0b101`). Each is a `StrictYAMLError` listing every such place with its line. Booleans
(`yes`, `no`, `on`, `off`) are left to the schemas, which are strict about types: where a
number or a name is expected they are reported with the hint to quote the word.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path = tuple[Any, ...]

_MAX_MARKS = 200_000  # a file full of aliases must not make the table explode

#: Most strictness problems listed for one file: enough to fix a file in one go, and a
#: generated file with thousands of octal numbers cannot flood the terminal.
MAX_STRICT_PROBLEMS = 50

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_OCTAL = re.compile(r"[-+]?0[0-9_]+")
_RADIX = re.compile(r"[-+]?0([xXbB])[0-9a-fA-F_]+")


class StrictYAMLError(yaml.MarkedYAMLError):
    """A document that parses, but that YAML 1.1 reads differently from what was meant.
    `problems`: (path of the key or item, mark, message) for every place found, in file
    order; the first is also the error's own mark and problem."""

    def __init__(self, problems: list[tuple[Path, yaml.Mark, str]]):
        super().__init__(problem=problems[0][2], problem_mark=problems[0][1])
        self.problems = problems


class Mark(NamedTuple):
    """Where a key (or a list item) was written, and the raw text of its value."""

    file: str
    line: int | None = None  # 1-based; None: no line (a `--set` value)
    column: int | None = None  # 1-based
    key_text: str | None = None  # the key as written (e.g. `NO` for a key read as false)
    value_text: str | None = None  # a scalar value as written (e.g. `1e3`, `off`)
    value_plain: bool = False  # the scalar value was written without quotes
    # the keys as the file wrote them, where the merge moved them: `add_events[j]` of a
    # file is `events[offset + j]` of the merged scenario
    written_as: tuple | None = None


class PositionLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` that also returns, for every mapping key and sequence item of
    the document, the position where it was written (see `load_with_positions`)."""

    def get_data_and_positions(self, file: str) -> tuple[Any, dict[Path, Mark]]:
        node = self.get_single_node()
        if node is None:
            return None, {}
        problems: list[tuple[Path, yaml.Mark, str]] = []
        self._check(node, (), problems, set())
        if problems:
            raise StrictYAMLError(problems)
        data = self.construct_document(node)  # as yaml.safe_load; merges `<<` keys in place
        marks: dict[Path, Mark] = {}
        self._record(node, (), marks, file, set())
        return data, marks

    def _check(
        self, node: Node, path: Path, out: list[tuple[Path, yaml.Mark, str]], seen: set[int]
    ) -> None:
        """Strictness problems below `node` (each collection once: aliases are shared)."""
        if id(node) in seen or len(out) >= MAX_STRICT_PROBLEMS:
            return
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            message = surprising_scalar(node)
            if message:
                out.append((path, node.start_mark, message))
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                self._check(item, (*path, i), out, seen)
        elif isinstance(node, MappingNode):
            first: dict[Any, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:  # `<<: *defaults`: overriding it is the point
                    self._check(value_node, path, out, seen)
                    continue
                before = len(out)
                self._check(key_node, path, out, seen)
                key = self._key(key_node) if len(out) == before else None
                sub = (*path, key) if key is not None else path
                if key is not None:
                    line = key_node.start_mark.line + 1
                    if key in first and len(out) < MAX_STRICT_PROBLEMS:
                        out.append(
                            (
                                sub,
                                key_node.start_mark,
                                f"duplicate key {key_node.value!r} (first written on line "
                                f"{first[key]}): YAML would keep only the last one; "
                                "remove or merge one of them",
                            )
                        )
                    first.setdefault(key, line)
                self._check(value_node, sub, out, seen)

    def _key(self, key_node: Node) -> Any:
        """A scalar key as the constructor builds it (None: not a plain hashable key)."""
        if not isinstance(key_node, ScalarNode):
            return None
        try:
            key = self.construct_object(key_node, deep=True)
            hash(key)
        except Exception:  # the constructor reports it with its own message
            return None
        return key

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


def surprising_scalar(node: ScalarNode) -> str | None:
    """Why YAML 1.1 reads this plain scalar as a number the writer most likely did not
    mean, with the two ways to write what was meant; None when it reads as written."""
    if node.style is not None or node.tag not in (_INT, _FLOAT):
        return None
    text = node.value
    if node.tag == _INT and _OCTAL.fullmatch(text):
        value = int(text.replace("_", ""), 8) if set(text) - set("+-0_") else 0
        digits = text.lstrip("+-").lstrip("0_") or "0"
        sign = "-" if text.startswith("-") else ""
        return (
            f"{text} has a leading zero, which YAML 1.1 reads as an octal number ({value}); "
            f"write {sign}{digits} for the decimal number, or quote it ('{text}') for text"
        )
    if node.tag == _INT and (m := _RADIX.fullmatch(text)):
        base = "hexadecimal" if m.group(1) in "xX" else "binary"
        value = int(text.replace("_", ""), 0)
        return (
            f"{text} is a {base} number in YAML 1.1 ({value}); write it in decimals "
            f"({value}), or quote it ('{text}') for text"
        )
    if ":" in text:
        value = yaml.safe_load(text)
        return (
            f"{text} is a base-60 (sexagesimal) number in YAML 1.1 ({value}); write the "
            f"number ({value}), or quote it ('{text}') for text such as a time"
        )
    return None


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
