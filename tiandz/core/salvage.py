"""The rest of a file that does not validate: its other problems are still worth saying in the same run.

pydantic refuses the whole item when one value is wrong (a date like 2024-13-45), and no rule can run on
an item that does not exist. Here each broken value is put aside: an unknown key is dropped, a wrong or
missing value is replaced by a stand-in of its field's type. The rules run twice, once with low stand-ins
and once with high ones, and only what both runs find is kept: a finding that does not change with the
stand-ins does not depend on the broken value, so it is a true finding about the rest of the file.
"""

from __future__ import annotations

import copy
import datetime as dt
import types
import typing
from typing import Any, Callable, Literal

from pydantic import BaseModel, ValidationError

from tiandz.core.model import Proposal

# Two stand-ins per type, as far apart as the type allows.
_TEXTS = ("〈待改正〉", "〈待改正的值〉")
_DATES = (dt.date(1900, 1, 1), dt.date(2999, 12, 31))  # far apart, yet a 时限 can be added to either
LAST_DAY = _DATES[1]  # "today" for the stand-ins: no date of theirs is in the future

Run = Callable[[Proposal], list]


def salvaged_findings(data: dict, run: Run) -> list:
    """What `run` finds in the item, whatever the values pydantic rejected; [] when no stand-in can do."""
    variants = [_stand_in(data, side) for side in (0, 1)]
    if any(variant is None for variant in variants):
        return []
    found = []
    for variant in variants:
        try:
            found.append(run(Proposal.model_validate(variant)))
        except ValidationError:
            return []
    return [finding for finding in found[0] if finding in found[1]]


def _stand_in(data: dict, side: int) -> dict | None:
    """The data with each broken value replaced (or an unknown key dropped); None when one cannot be."""
    fixed = copy.deepcopy(data)
    try:
        Proposal.model_validate(fixed)
        return fixed
    except ValidationError as error:
        details = error.errors(include_url=False)
    for detail in details:
        location = tuple(detail["loc"])
        if not location:
            return None
        parent = _container(fixed, location[:-1])
        if parent is None:
            return None
        if detail["type"] in ("extra_forbidden", "invalid_key"):
            if isinstance(parent, dict):
                key = detail.get("input") if detail["type"] == "invalid_key" else location[-1]
                parent.pop(key, None)
            continue
        value = _value_for(_annotation_at(location), side)
        if value is _NONE:
            return None
        parent[location[-1]] = value
    return fixed


_NONE = object()


def _container(data: Any, location: tuple) -> Any:
    for step in location:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data if isinstance(data, (dict, list)) else None


def _annotation_at(location: tuple) -> Any:
    """The type of the value at a location such as ("答复", 0, "日期"), from the model's fields."""
    model: type[BaseModel] | None = Proposal
    annotation: Any = None
    for step in location:
        if isinstance(step, int):
            arguments = typing.get_args(_bare(annotation))
            annotation = arguments[0] if arguments else None
        else:
            field = next((field for field in (model.model_fields.values() if model else ()) if field.alias == step), None)
            if field is None:
                return None
            annotation = field.annotation
        inner = _bare(annotation)
        model = inner if isinstance(inner, type) and issubclass(inner, BaseModel) else None
    return annotation


def _bare(annotation: Any) -> Any:
    """X for Annotated[X, …] and for X | None."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif typing.get_origin(annotation) in (typing.Union, types.UnionType):
            options = [option for option in typing.get_args(annotation) if option is not type(None)]
            annotation = options[0] if options else None
        else:
            return annotation


def _value_for(annotation: Any, side: int) -> Any:
    bare = _bare(annotation)
    if bare is dt.date:
        return _DATES[side]
    if bare is bool:
        return bool(side)
    if bare is str:
        return _TEXTS[side]
    if typing.get_origin(bare) is Literal:
        choices = typing.get_args(bare)
        return choices[0] if side == 0 else choices[-1]
    if typing.get_origin(bare) is list:
        return []
    return _NONE
