"""JSON scenario and solution format (documented in docs/scenario-format.md).

The encoding is mechanical: a dataclass becomes an object with its field names, tuples become arrays,
and fields equal to their default are left out (national scenarios stay small and readable). Decoding
uses the dataclasses' type hints, so the format follows ``scheduling.model`` by construction and every
run can be replayed from its snapshot.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from scheduling.model import FAMILIES, ROLES, Result, Scenario, Solution, split_role

FORMAT = "examlogistics-scenario"
SOLUTION_FORMAT = "examlogistics-solution"
VERSION = 1

T = TypeVar("T")


def to_data(obj: Any) -> Any:
    """Plain JSON-ready data; defaults are omitted."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if f.default is not dataclasses.MISSING and value == f.default:
                continue
            if f.default_factory is not dataclasses.MISSING and value == f.default_factory():
                continue
            out[f.name] = to_data(value)
        return out
    if isinstance(obj, (tuple, list)):
        return [to_data(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_data(v) for k, v in obj.items()}
    return obj


def from_data(tp: Any, data: Any) -> Any:
    """Rebuild a value of type ``tp`` from :func:`to_data` output."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if data is None:
            return None
        return from_data(args[0], data)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_data(args[0], v) for v in data)
        return tuple(from_data(a, v) for a, v in zip(args, data, strict=True))
    if origin is dict:
        _, val_t = typing.get_args(tp)
        return {k: from_data(val_t, v) for k, v in data.items()}
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{tp.__name__}: unknown field(s) {sorted(unknown)}")
        return tp(**{name: from_data(hints[name], value) for name, value in data.items()})
    if tp is float and isinstance(data, int):
        return float(data)
    return data


def scenario_to_json(scenario: Scenario, indent: int | None = None) -> str:
    return json.dumps({"format": FORMAT, "version": VERSION, "scenario": to_data(scenario)}, indent=indent)


def scenario_from_json(text: str) -> Scenario:
    doc = json.loads(text)
    _check_header(doc, FORMAT)
    scenario = from_data(Scenario, doc["scenario"])
    _check_roles(scenario)
    return scenario


def _check_roles(scenario: Scenario) -> None:
    """A misspelt role would silently leave the examiner out of every session."""
    for ex in scenario.examiners:
        for token in ex.roles:
            role, family = split_role(token)
            if role not in ROLES or ("@" in token and family not in FAMILIES):
                raise ValueError(
                    f"examiner {ex.id}: unknown role {token!r} (one of {', '.join(ROLES)}, for every family, "
                    f"or for one family as role@family with family one of {', '.join(FAMILIES)})")


def solution_to_json(solution: Solution, result: Result | None = None, indent: int | None = None) -> str:
    doc: dict[str, Any] = {"format": SOLUTION_FORMAT, "version": VERSION, "solution": to_data(solution)}
    if result is not None:
        doc["result"] = to_data(dataclasses.replace(result, solution=Solution(), stages=()))
    return json.dumps(doc, indent=indent)


def solution_from_json(text: str) -> Solution:
    doc = json.loads(text)
    _check_header(doc, SOLUTION_FORMAT)
    return from_data(Solution, doc["solution"])


def result_from_json(text: str) -> Result:
    doc = json.loads(text)
    _check_header(doc, SOLUTION_FORMAT)
    result = from_data(Result, doc["result"])
    return dataclasses.replace(result, solution=from_data(Solution, doc["solution"]))


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    Path(path).write_text(scenario_to_json(scenario), encoding="utf-8")


def load_scenario(path: str | Path) -> Scenario:
    return scenario_from_json(Path(path).read_text(encoding="utf-8"))


def _check_header(doc: dict[str, Any], expected: str) -> None:
    if doc.get("format") != expected:
        raise ValueError(f"not an {expected} document (format={doc.get('format')!r})")
    if doc.get("version") != VERSION:
        raise ValueError(f"unsupported {expected} version {doc.get('version')!r}; this code reads {VERSION}")
