"""Problems of an input file, each one a person can act on.

A `Problem` names the file, the line and column where YAML gives one, the dotted path
of the field (`powers.RUS.exclusivty`, `events[3].target`, `design.samples`), what was
expected and what was found, and for an unknown key the closest valid one.
`str(problem)` is one self-contained line:

    my.yaml:7:5: powers.RUS.exclusivty: unknown key 'exclusivty' (did you mean 'exclusivity'?)

Every input file (scenario, experiment with its calibration section, study) is read by
`polarsim.inputs.reader` and reports all its problems at once, as one
`InputProblemsError`. This module turns pydantic's validation errors into problems
(`schema_problems`), and positions recorded while reading YAML (`yaml_lines.Mark`) into
lines (`locate`, `place`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from polarsim.errors import PolarsimInputError
from polarsim.inputs.strict import FieldProblems
from polarsim.inputs.yaml_lines import Mark

SET_SOURCE = "--set"  # `Problem.source` of a value given on the command line

#: Most problems one error message lists: enough to fix a file in one go, while a
#: generated file with thousands of bad rows cannot flood the terminal.
MAX_LISTED = 50

Keys = tuple[Any, ...]


@dataclass(frozen=True)
class Problem:
    """One problem of an input file.

    file: the file that was loaded or validated (as given).
    path: dotted path of the field (`powers.RUS.exclusivity`, `events[3].target`), or
        None for a problem of the file as a whole (not found, malformed YAML).
    message: what is wrong, what was expected and what was found.
    line, column: 1-based position of the key or list item, where YAML gives one.
    source: where `line` refers to when that is not `file` itself: a file that `file`
        extends, or "--set" for a value given on the command line (no line).
    """

    file: str
    path: str | None
    message: str
    line: int | None = None
    column: int | None = None
    source: str | None = None

    def __str__(self) -> str:
        here, note = self.file, ""
        if self.source in (None, self.file):
            here += _position(self.line, self.column)
        elif self.source == SET_SOURCE:
            note = " [from --set]"
        else:
            where = self.source + _position(self.line, self.column)
            note = f" [written in {where}, which {self.file} extends]"
        parts = [here, *([self.path] if self.path else []), self.message + note]
        return _one_line(": ".join(parts))


def _position(line: int | None, column: int | None) -> str:
    if line is None:
        return ""
    return f":{line}" + (f":{column}" if column is not None else "")


class InputProblemsError(PolarsimInputError):
    """A `PolarsimInputError` carrying every problem found in one input file
    (`.problems`); `.file` and `.field` are those of the first. Its message is the one
    line of a single problem, or a first line counting them followed by one indented
    line per problem (at most `MAX_LISTED`; `more_hint` says where to see the rest)."""

    def __init__(self, problems: Sequence[Problem], more_hint: str = ""):
        if not problems:
            raise ValueError("InputProblemsError needs at least one problem")
        first = problems[0]
        super().__init__(first.message, file=first.file, field=first.path)
        self.problems = list(problems)
        self.args = (problems_text(self.problems, more_hint),)


def problems_text(problems: Sequence[Problem], more_hint: str = "") -> str:
    """One line for one problem; else a count and one indented line per problem."""
    if len(problems) == 1:
        return str(problems[0])
    files = list(dict.fromkeys(p.file for p in problems))
    lines = [f"{', '.join(files)}: {len(problems)} problems"]
    lines += [f"  {p}" for p in problems[:MAX_LISTED]]
    rest = len(problems) - MAX_LISTED
    if rest > 0:
        lines.append(f"  ... and {rest} more" + (f" ({more_hint})" if more_hint else ""))
    return "\n".join(lines)


class RawProblem(NamedTuple):
    """A problem before it is placed in a file: the keys of the field in the file's
    data (list indices as ints) and the message. `path` overrides the rendered path."""

    keys: Keys
    message: str
    path: str | None = None


def problem(file: str, message: str, *, path: str | None = None, mark: Mark | None = None):
    """An `InputProblemsError` with a single problem."""
    return InputProblemsError([make_problem(file, path, message, mark)])


def make_problem(file: str, path: str | None, message: str, mark: Mark | None) -> Problem:
    if mark is None:
        return Problem(file, path, message)
    source = None if mark.file == file else mark.file
    return Problem(file, path, message, mark.line, mark.column, source)


def as_problems(exc: PolarsimInputError, file: str) -> list[Problem]:
    """The problems of any PolarsimInputError (a plain one gives one problem)."""
    if isinstance(exc, InputProblemsError):
        return exc.problems
    return [Problem(exc.file or file, exc.field, exc.detail)]


# --- paths and positions ------------------------------------------------------------

_PLAIN_KEY = re.compile(r"[A-Za-z0-9_+\-]+")


def render_path(keys: Keys, data: Any = None) -> str:
    """('events', 3, 'target') -> 'events[3].target'. With `data`, an int is a list
    index only where the data hold a list there (else a mapping key, e.g. a year)."""
    out = ""
    node = data
    for k in keys:
        is_index = isinstance(k, int) and not isinstance(k, bool)
        if data is not None:
            is_index = is_index and isinstance(node, list)
        if is_index:
            out += f"[{k}]"
        else:
            text = str(k)
            seg = text if _PLAIN_KEY.fullmatch(text) else f"[{text!r}]"
            out += seg if not out or seg.startswith("[") else "." + seg
        node = _child(node, k)
    return out


def _child(node: Any, k: Any) -> Any:
    if isinstance(node, dict):
        try:
            return node.get(k)
        except TypeError:
            return None
    if isinstance(node, list) and isinstance(k, int) and not isinstance(k, bool):
        return node[k] if -len(node) <= k < len(node) else None
    return None


def _as_written(keys: Keys, marks: dict[Keys, Mark]) -> Keys:
    """The keys as the file wrote them: an event appended by `add_events` is named
    `add_events[j]`, not by its index in the merged timeline."""
    if len(keys) >= 2 and keys[0] == "events":
        mark = marks.get(tuple(keys[:2]))
        if mark is not None and mark.written_as is not None:
            return (*mark.written_as[:2], *keys[2:])
    return keys


def locate(keys: Keys, marks: dict[Keys, Mark]) -> Mark | None:
    """The mark of the field, else of its nearest written ancestor (a missing key is
    reported where its mapping starts)."""
    for n in range(len(keys), 0, -1):
        mark = marks.get(tuple(keys[:n]))
        if mark is not None:
            return mark
    return None


def place(
    raw: Iterable[RawProblem], file: str, data: Any, marks: dict[Keys, Mark]
) -> list[Problem]:
    """Raw problems -> problems with rendered paths and positions, in file order."""
    out = []
    for p in raw:
        path = p.path
        if path is None and p.keys:
            written = _as_written(p.keys, marks)
            # rewritten keys are not in the merged data: their ints are list indices
            path = render_path(written, data if written == tuple(p.keys) else None)
        out.append(make_problem(file, path, p.message, locate(p.keys, marks)))

    def order(pr: Problem) -> tuple:
        return (
            pr.source is not None,
            pr.source or "",
            pr.line is None,
            pr.line or 0,
            pr.column or 0,
        )

    return sorted(out, key=order)


# --- values as a person reads them --------------------------------------------------

YAML_BOOL_WORDS = {"yes", "no", "on", "off", "true", "false"}


def describe(value: Any) -> str:
    """A found value in words: 'the string '1e3'', 'the boolean false', 'a list of 3 items'."""
    if value is None:
        return "nothing (an empty value or null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return f"the number {'.nan' if math.isnan(value) else '.inf' if value > 0 else '-.inf'}"
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {_short(value)!r}" if value else "an empty string"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dict):
        keys = [str(k) for k in list(value)[:4]]
        more = ", ..." if len(value) > 4 else ""
        return f"a mapping with keys {', '.join(keys)}{more}" if keys else "an empty mapping"
    if isinstance(value, list):
        n = len(value)
        return f"a list of {n} item{'s' if n != 1 else ''}" if n else "an empty list"
    if isinstance(value, bytes):
        return "binary data"
    return f"a {type(value).__name__}"


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


def _one_line(text: str) -> str:
    return " ".join(text.split())


def bool_hint(value: bool, written: str | None) -> str:
    """Why a YAML word became a boolean, and how to keep it as text."""
    word = str(value).lower()
    if written and written.lower() in YAML_BOOL_WORDS:
        return f"YAML reads {written} as {word}; quote it: '{written}'"
    return "YAML reads unquoted yes/no/on/off/true/false as booleans; quote the text"


def number_hint(text: str, quoted: bool, whole: bool) -> str:
    """Why a number became a string, and how to write it so YAML reads a number."""
    text = text.strip()
    try:
        value = float(text.replace("_", ""))
    except ValueError:
        return ""
    if not math.isfinite(value) or (whole and not value.is_integer()):
        return ""
    plain = _plain_number(value)
    forms = plain
    if "e" in text.lower() and not whole:
        mantissa, _, exponent = text.lower().partition("e")
        if "." not in mantissa:
            mantissa += ".0"
        if exponent[:1] not in ("+", "-"):
            exponent = "+" + exponent
        written = f"{mantissa}e{exponent}"  # YAML 1.1 floats need a dot and a sign
        forms = written if written == plain else f"{written} or {plain}"
    if quoted:
        return f"the value is in quotes; write the number without quotes: {forms}"
    if "e" in text.lower():
        return f"YAML 1.1 reads {text} as text; write {forms}"
    return f"write the number as {plain}"


def _plain_number(value: float) -> str:
    """The number as YAML 1.1 reads it back as that number: Python writes 1e-300, which
    YAML 1.1 reads as text; an exponent needs a dot in the mantissa (1.0e-300)."""
    if value == int(value) and abs(value) < 1e16:
        return str(int(value))
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        text = f"{mantissa}.0e{exponent}"
    return text


# --- pydantic errors -> problems ----------------------------------------------------

_TYPE_EXPECTED = {
    "float_type": "a number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "dict_type": "a mapping (key: value lines or {key: value})",
    "model_type": "a mapping (key: value lines or {key: value})",
    "model_attributes_type": "a mapping (key: value lines or {key: value})",
    "list_type": "a list ([a, b] or lines starting with '- ')",
    "finite_number": "a finite number",
}
_BOUND_WORDS = {
    "ge": "greater than or equal to",
    "gt": "greater than",
    "le": "less than or equal to",
    "lt": "less than",
}


class _Place(NamedTuple):
    keys: Keys  # keys of the field in the data
    model: type[BaseModel] | None  # model owning the last key
    annotation: Any  # the field's type there
    field: Any  # pydantic FieldInfo of the last key, if a model field
    key_error: bool  # the problem is the mapping key itself ('[key]')
    union: Any  # a discriminated union left at the end (events[i] itself)


def unwrap_type(tp: Any) -> tuple[Any, list]:
    """The type under Annotated and Optional, and the Annotated metadata met (a field's
    bounds, for example)."""
    metadata: list = []
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            args = get_args(tp)
            tp, metadata = args[0], [*metadata, *args[1:]]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
        return tp, metadata


def _unwrap(tp: Any) -> Any:
    return unwrap_type(tp)[0]


def _tag_map(tp: Any) -> dict[str, type[BaseModel]] | None:
    """{type tag: model} for a union of models discriminated by a `type` literal."""
    if get_origin(tp) not in (Union, types.UnionType):
        return None
    out = {}
    for member in get_args(tp):
        if not (isinstance(member, type) and issubclass(member, BaseModel)):
            return None
        field = member.model_fields.get("type")
        if field is None:
            return None
        for tag in get_args(field.annotation):
            out[tag] = member
    return out


def _walk(loc: Sequence[Any], root: type[BaseModel]) -> _Place:
    tp: Any = root
    keys: list[Any] = []
    model = field = None
    key_error = False
    for part in loc:
        if isinstance(part, str) and part.startswith("function-"):
            continue
        if part == "[key]":
            key_error = True
            continue
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            model, field = tp, tp.model_fields.get(part)
            keys.append(part)
            tp = field.annotation if field is not None else None
            continue
        origin = get_origin(tp)
        tags = _tag_map(tp)
        if tags is not None and part in tags:
            tp = tags[part]  # pydantic puts the event type into the location
            continue
        keys.append(part)
        field = None
        if origin is dict:
            tp = get_args(tp)[1]
        elif origin is list:
            tp = get_args(tp)[0]
        else:
            tp = None
    union = _unwrap(tp) if tp is not None and _tag_map(_unwrap(tp)) else None
    return _Place(tuple(keys), model, tp, field, key_error, union)


def _options(expected: str) -> list[str]:
    """`'join', 'leave' or 'suspend'` -> ['join', 'leave', 'suspend']."""
    quoted = re.findall(r"'([^']*)'", expected)
    return quoted or [s.strip() for s in re.split(r",| or ", expected) if s.strip()]


def _suggest(word: Any, valid: Iterable[str]) -> str | None:
    """The closest valid word, or the only one `word` begins (`latin`: latin_hypercube)."""
    valid = [str(v) for v in valid]
    hit = difflib.get_close_matches(str(word), valid, n=1, cutoff=0.6)
    if hit:
        return hit[0]
    starts = [v for v in valid if len(str(word)) >= 3 and v.startswith(str(word))]
    return starts[0] if len(starts) == 1 else None


def _bounds(field: Any) -> str:
    lo = hi = None
    lo_open = hi_open = False
    for m in getattr(field, "metadata", []) or []:
        for name in ("ge", "gt", "le", "lt"):
            v = getattr(m, name, None)
            if v is None:
                continue
            if name in ("ge", "gt"):
                lo, lo_open = v, name == "gt"
            else:
                hi, hi_open = v, name == "lt"
    if lo is None or hi is None:
        return ""
    return f" (range {'(' if lo_open else '['}{lo:g}, {hi:g}{')' if hi_open else ']'})"


def _found(value: Any, expected_kind: str, mark: Mark | None) -> str:
    """'found ...' plus the YAML trap behind it, if any."""
    text = f"found {describe(value)}"
    written = mark.value_text if mark is not None else None
    if isinstance(value, bool) and expected_kind in ("text", "choice"):
        return f"{text}: {bool_hint(value, written)}"
    if isinstance(value, str) and expected_kind in ("number", "whole"):
        quoted = mark is not None and mark.value_text is not None and not mark.value_plain
        hint = number_hint(value, quoted, expected_kind == "whole")
        return f"{text}: {hint}" if hint else text
    if isinstance(value, float) and expected_kind == "whole" and value.is_integer():
        return f"{text}: write it without decimals: {int(value)}"
    if isinstance(value, dt.date) and expected_kind in ("number", "whole", "text", "choice"):
        return f"{text}: YAML reads a plain yyyy-mm-dd as a date; quote it or give the year"
    return text


def _kind(err_type: str) -> str:
    return {
        "float_type": "number",
        "int_type": "whole",
        "int_from_float": "whole",
        "string_type": "text",
        "literal_error": "choice",
    }.get(err_type, "")


class TaggedItems(NamedTuple):
    """How messages name the items of a union told apart by a `type:` key (the events
    of a scenario): the noun, and the shape of one item."""

    noun: str = "item"
    shape: str = "a mapping with a type ({type: ..., ...})"


ANY_ITEMS = TaggedItems()


class _Error(NamedTuple):
    """One pydantic error, placed in the data, with what its message needs."""

    kind: str  # pydantic's error type
    where: _Place
    value: Any  # the input pydantic rejected
    ctx: dict
    msg: str  # pydantic's own message, the last resort
    mark: Mark | None  # where the field was written
    mark_of: Callable[[Keys], Mark | None]
    tagged: TaggedItems


def schema_problems(
    exc: ValidationError,
    data: Any,
    root: type[BaseModel],
    mark_of: Callable[[Keys], Mark | None] = lambda keys: None,
    tagged: TaggedItems = ANY_ITEMS,
) -> list[RawProblem]:
    """Every error of a pydantic validation, as raw problems with helpful messages
    (`data` is the validated mapping; kept for callers that render paths with it)."""
    out: list[RawProblem] = []
    for err in exc.errors(include_url=False):
        try:
            out.extend(_translate(err, root, mark_of, tagged))
        except Exception:  # never lose an error to its formatting
            loc = tuple(p for p in err["loc"] if not str(p).startswith("function-"))
            out.append(RawProblem(loc, _one_line(str(err.get("msg", "invalid value")))))
    return out


def _translate(
    err: dict, root: type[BaseModel], mark_of: Callable[[Keys], Mark | None], tagged: TaggedItems
) -> list[RawProblem]:
    where = _walk(err["loc"], root)
    e = _Error(
        err["type"],
        where,
        err.get("input"),
        err.get("ctx") or {},
        str(err.get("msg", "invalid value")),
        mark_of(where.keys),
        mark_of,
        tagged,
    )
    # the order matters: an unknown or missing key, or an item of the wrong type, is
    # reported as such even where pydantic also marks the mapping key
    first = _BY_KIND_FIRST.get(e.kind)
    if first is not None:
        return [first(e)]
    if e.kind == "model_attributes_type" and where.union is not None:
        return [_not_an_item(e)]
    if where.key_error:
        return [_invalid_key(e)]
    if e.kind in ("value_error", "assertion_error"):
        return _check_failed(e)
    translate = _BY_KIND.get(e.kind, _other)
    return [translate(e)]


def _unknown_key(e: _Error) -> RawProblem:
    keys, model = e.where.keys, e.where.model
    name = keys[-1] if keys else e.value
    allowed = list(model.model_fields) if model is not None else []
    hint = _suggest(name, allowed)
    msg = f"unknown key {name!r}"
    if isinstance(name, bool):
        msg += f" ({bool_hint(name, e.mark.key_text if e.mark else None)})"
    elif hint:
        msg += f" (did you mean {hint!r}?)"
    elif allowed:
        msg += f" (expected one of: {', '.join(allowed)})"
    return RawProblem(keys, msg)


def _missing(e: _Error) -> RawProblem:
    desc = getattr(e.where.field, "description", None)
    return RawProblem(e.where.keys, "required key is missing" + (f" ({desc})" if desc else ""))


def _union_tag(e: _Error) -> RawProblem:
    """An item of a tagged union (an event) without a `type:`, or of an unknown type."""
    keys, noun = e.where.keys, e.tagged.noun
    tags = list(_tag_map(e.where.union) or {}) if e.where.union is not None else []
    tags = tags or _options(str(e.ctx.get("expected_tags", "")))
    valid = ", ".join(tags)
    if e.kind == "union_tag_not_found":
        return RawProblem(
            (*keys, "type"), f"{noun} has no type (expected a `type:` key, one of: {valid})"
        )
    tag = e.value.get("type") if isinstance(e.value, dict) else None
    hint = None if isinstance(tag, bool) else _suggest(tag, tags)
    msg = f"unknown {noun} type {tag!r} (expected one of: {valid}"
    msg += f"; did you mean {hint!r}?)" if hint else ")"
    if isinstance(tag, bool):
        tag_mark = e.mark_of((*keys, "type"))
        msg += f"; {bool_hint(tag, tag_mark.value_text if tag_mark else None)}"
    return RawProblem((*keys, "type"), msg)


def _not_an_item(e: _Error) -> RawProblem:
    noun = e.tagged.noun
    article = "an" if noun[:1] in "aeiou" else "a"
    return RawProblem(
        e.where.keys, f"expected {article} {noun}: {e.tagged.shape}, {_found(e.value, '', e.mark)}"
    )


def _invalid_key(e: _Error) -> RawProblem:
    expected = "a whole number (e.g. a year)" if e.kind == "int_type" else "text"
    found = _found(e.value, _kind(e.kind), _as_key_mark(e.mark))
    return RawProblem(e.where.keys, f"invalid key (expected {expected}, {found})")


def _wrong_type(e: _Error) -> RawProblem:
    found = _found(e.value, _kind(e.kind), e.mark)
    return RawProblem(e.where.keys, f"wrong type (expected {_TYPE_EXPECTED[e.kind]}, {found})")


def _out_of_range(e: _Error) -> RawProblem:
    name, bound = next(iter(e.ctx.items()), ("", ""))
    words = _BOUND_WORDS.get(name, name)
    if isinstance(bound, int | float) and math.isfinite(bound):
        bound = _plain_number(bound) if float(bound).is_integer() else f"{bound:g}"
    return RawProblem(
        e.where.keys,
        f"out of range (expected a number {words} {bound}{_bounds(e.where.field)}, "
        f"{_found(e.value, '', e.mark)})",
    )


def _not_a_choice(e: _Error) -> RawProblem:
    options = _options(str(e.ctx.get("expected", "")))
    hint = _suggest(e.value, options) if isinstance(e.value, str) else None
    msg = f"not a valid choice (expected one of: {', '.join(options)}, "
    msg += f"{_found(e.value, 'choice', e.mark)})"
    if hint and hint != e.value:
        msg += f"; did you mean {hint!r}?"
    return RawProblem(e.where.keys, msg)


def _wrong_size(e: _Error) -> RawProblem:
    n = e.ctx.get("min_length", e.ctx.get("max_length"))
    if e.kind.startswith("string"):
        bound = "at least" if e.kind == "string_too_short" else "at most"
        expected = f"text of {bound} {n} character{'s' if n != 1 else ''}"
    else:
        bound = "at least" if e.kind == "too_short" else "at most"
        expected = f"{bound} {n} item{'s' if n != 1 else ''}"
    return RawProblem(
        e.where.keys, f"wrong size (expected {expected}, {_found(e.value, '', e.mark)})"
    )


def _check_failed(e: _Error) -> list[RawProblem]:
    """A validator's own message; `FieldProblems` place theirs at the fields they name."""
    error = e.ctx.get("error")
    if isinstance(error, FieldProblems):
        return [RawProblem((*e.where.keys, *keys), msg) for keys, msg in error.problems]
    msg = re.sub(r"^(Value error|Assertion failed),\s*", "", e.msg)
    return [RawProblem(e.where.keys, msg)]


def _pattern(e: _Error) -> RawProblem:
    """Text not of a field's form: a choice among words (^(a|b)$) as a choice, any other
    form in the field's own description rather than as a regular expression."""
    pattern = str(e.ctx.get("pattern", ""))
    words = re.fullmatch(r"\^\(([\w|]+)\)\$", pattern)
    if words:
        return _not_a_choice(e._replace(ctx={"expected": ", ".join(words[1].split("|"))}))
    said = getattr(e.where.field, "description", None) or f"text matching {pattern}"
    return RawProblem(
        e.where.keys, f"not of the form expected: {said} ({_found(e.value, '', e.mark)})"
    )


def _other(e: _Error) -> RawProblem:
    msg = e.msg
    if not isinstance(e.value, dict | list):
        msg += f" ({_found(e.value, '', e.mark)})"
    return RawProblem(e.where.keys, msg)


_BY_KIND_FIRST: dict[str, Callable[[_Error], RawProblem]] = {
    "extra_forbidden": _unknown_key,
    "missing": _missing,
    "union_tag_invalid": _union_tag,
    "union_tag_not_found": _union_tag,
}
_BY_KIND: dict[str, Callable[[_Error], RawProblem]] = {
    **dict.fromkeys(_TYPE_EXPECTED, _wrong_type),
    **dict.fromkeys(
        ("greater_than_equal", "greater_than", "less_than_equal", "less_than"), _out_of_range
    ),
    "literal_error": _not_a_choice,
    "string_pattern_mismatch": _pattern,
    **dict.fromkeys(("too_short", "too_long", "string_too_short", "string_too_long"), _wrong_size),
}


def _as_key_mark(mark: Mark | None) -> Mark | None:
    """For an invalid mapping key: the key's own text counts as 'the value written'."""
    if mark is None:
        return None
    return mark._replace(value_text=mark.key_text, value_plain=True)
