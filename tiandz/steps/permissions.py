"""The clone's role applied to a step (spec/offices.md "What each may do"): refused before anything is read.

The table and its words are tiandz/core/permissions.py; this module reads the role (ledger/role.py) and
gives the step engine what it needs: whether the step may start at all, which unit a unit's clone acts for
(its own, whatever `--unit` says), and the trailers that say who made the commit (`Tiandz-Unit` in a
unit's clone, `Tiandz-On-Behalf-Of` when the office records a unit's own work for it).
"""

from __future__ import annotations

from tiandz.core import permissions as table
from tiandz.core.config import Config
from tiandz.core.units import unit_name
from tiandz.ledger.folder import Ledger
from tiandz.ledger.role import UNIT, Role, read_role

# The steps that record a unit's own work: the office doing them does them on the unit's behalf.
UNITS_OWN_WORK = ("contact", "opinion", "reply", "promise")


def allow(ledger: Ledger, step: str, role: Role | None = None) -> Role:
    """The clone's role, when it may do this step at all; refused (nothing read, nothing written) when not."""
    role = role or read_role(ledger.root)
    table.refuse_step(role.kind, role.unit, step)
    return role


def acting_unit(config: Config, role: Role, typed: str | None, option: str = "--unit") -> str | None:
    """The unit a step records work for: in a unit's clone its own (another one named is refused), in the
    office's clone the one named (full name or 简称), or None when it was not named."""
    named = unit_name(config, typed, option) if typed else None
    if role.kind == UNIT:
        return table.refuse_other_unit(role.unit or "", named, option)
    return named


def is_unit(role: Role) -> bool:
    return role.kind == UNIT


def refuse_place(role: Role, step: str, item) -> None:
    """In a unit's clone: the unit handles the item in the place the step needs (主办, 协办)."""
    if role.kind == UNIT:
        table.refuse_unit_place(role.unit or "", step, item)


def role_trailers(role: Role, step: str, units: list[str]) -> dict[str, str]:
    """Who made the commit: the unit of a unit's clone; the units the office recorded work for."""
    if role.kind == UNIT:
        return {"Tiandz-Unit": role.unit or ""}
    if role.is_office and step in UNITS_OWN_WORK and units:
        return {"Tiandz-On-Behalf-Of": ", ".join(dict.fromkeys(units))}
    return {}
