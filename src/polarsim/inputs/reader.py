"""The one reader of every YAML input file: scenarios and the files they extend,
experiment files (with their calibration section) and study files.

    exp, doc = load_model("experiments/sobol_autonomy.yaml", Experiment, "experiment file")

A file is read within the bounds of `files` (a regular UTF-8 file of at most
`MAX_YAML_BYTES`), parsed by the strict position loader of `yaml_lines` (duplicate
keys, octal, base-60 and hexadecimal numbers are errors), must hold a mapping, and is
validated against its `StrictModel` schema. Every problem found is reported at once, as
one `InputProblemsError` whose problems each give file:line:column, the dotted field,
what was expected, what was found and, for an unknown key, the closest valid one. The
contents of a file that is not what was expected are never echoed.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from polarsim.inputs.files import InputFileError, a_or_an, read_input_text
from polarsim.inputs.problems import (
    ANY_ITEMS,
    InputProblemsError,
    Keys,
    Problem,
    RawProblem,
    TaggedItems,
    make_problem,
    place,
    render_path,
    schema_problems,
)
from polarsim.inputs.yaml_lines import (
    Mark,
    StrictYAMLError,
    error_position,
    error_text,
    load_with_positions,
)

Marks = dict[Keys, Mark]


@dataclass
class YamlDocument:
    """A YAML input file as read: the file as the user named it, its top-level mapping
    and where each key and list item was written."""

    file: str
    data: dict[str, Any]
    marks: Marks

    def problems(self, raw: Iterable[RawProblem]) -> list[Problem]:
        """Raw problems of this file, placed at their lines, in file order."""
        return place(raw, self.file, self.data, self.marks)

    def refuse(self, raw: Iterable[RawProblem], more_hint: str = "") -> None:
        """Raise every problem found (nothing when `raw` is empty)."""
        problems = self.problems(raw)
        if problems:
            raise InputProblemsError(problems, more_hint)


def kind_of(value: Any) -> str:
    """What a YAML document holds, in words, without its contents."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text" if value.strip() else "an empty string"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def read_yaml(
    path: str | Path,
    what: str,
    *,
    shape: str = "key: value lines",
    doc: str | None = None,
    report_as: str | None = None,
) -> YamlDocument:
    """Read a YAML file whose top level is a mapping, or raise an `InputProblemsError`.

    `what` names the file in messages ("experiment file"); `shape` shows the keys a
    mapping of this kind starts with and `doc` the page describing it. `report_as` is
    the file being loaded when this one is read on its behalf (a scenario's `extends`
    parent): problems are then reported for `report_as`, noting where they were
    written."""
    name = str(path)
    top = report_as or name
    whole_file = None if name == top else Mark(name)  # a problem of the file, no line
    try:
        text = read_input_text(path, what)
    except InputFileError as exc:
        raise _one(top, exc.reason, whole_file) from None
    data, marks = _parsed(text, name, top, whole_file)
    if data is None:
        where = f"; {doc}" if doc else ""
        raise _one(
            top,
            f"the file is empty: {a_or_an(what)} is a YAML mapping ({shape}{where})",
            whole_file,
        )
    if not isinstance(data, dict):
        raise _one(
            top,
            f"expected a YAML mapping of keys at the top level ({shape}), found {kind_of(data)}",
            Mark(name, 1, 1),
        )
    return YamlDocument(top, data, marks)


#: Documents parsed, by their text and names: a process that loads one scenario for
#: many design points (EMA Workbench or mesa.batch_run calling polarsim.run, `polarsim
#: skill`) reads the file each time but parses it once; the strict parser with the
#: position of every key costs far more than the run's validation.
_PARSED: OrderedDict[tuple[str, str, str, bool], tuple[Any, Marks]] = OrderedDict()
_PARSED_SIZE = 32


def _parsed(text: str, name: str, top: str, whole_file: Mark | None) -> tuple[Any, Marks]:
    """`_parse`, remembered by the exact text (a changed file is parsed again); each
    caller gets its own copy of the data, which loaders change in place."""
    key = (text, name, top, whole_file is None)
    if key in _PARSED:
        _PARSED.move_to_end(key)
    else:
        _PARSED[key] = _parse(text, name, top, whole_file)
        if len(_PARSED) > _PARSED_SIZE:
            _PARSED.popitem(last=False)
    data, marks = _PARSED[key]
    return copy.deepcopy(data), dict(marks)


def _parse(text: str, name: str, top: str, whole_file: Mark | None) -> tuple[Any, Marks]:
    """Strict YAML with positions; every strictness problem, or the parser's one."""
    try:
        return load_with_positions(text, name)
    except StrictYAMLError as exc:
        raise InputProblemsError(
            [
                make_problem(top, render_path(keys) or None, message, Mark(name, *_at(mark)))
                for keys, mark, message in exc.problems
            ]
        ) from None
    except yaml.YAMLError as exc:
        line, column = error_position(exc, text)
        message = f"malformed YAML: {error_text(exc)}"
        raise _one(top, message, Mark(name, line, column)) from None
    except RecursionError:
        raise _one(top, "malformed YAML: nested too deeply", whole_file) from None


def _at(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _one(file: str, message: str, mark: Mark | None) -> InputProblemsError:
    return InputProblemsError([make_problem(file, None, message, mark)])


def check_model[M: BaseModel](
    model: type[M], doc: YamlDocument, tagged: TaggedItems = ANY_ITEMS
) -> tuple[M | None, list[RawProblem]]:
    """Validate a read file against its schema: (instance, []) or (None, every problem)."""
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, schema_problems(exc, doc.data, model, doc.marks.get, tagged)


def load_model[M: BaseModel](
    path: str | Path, model: type[M], what: str, *, shape: str = "key: value lines"
) -> tuple[M, YamlDocument]:
    """Read and validate a YAML input file; every problem at once as an
    `InputProblemsError`. The document is returned for checks that follow (files it
    names), so that they too are reported at their lines."""
    doc = read_yaml(path, what, shape=shape)
    obj, raw = check_model(model, doc)
    doc.refuse(raw)
    assert obj is not None
    return obj, doc


__all__ = ["YamlDocument", "check_model", "kind_of", "load_model", "read_yaml"]
