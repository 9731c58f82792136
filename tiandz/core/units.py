"""Handling units as clerks type them: a full name or a 简称, resolved to the one full name tiandz.yaml gives.

Rules, steps, filters and letters all resolve typed unit names the same way and suggest the same
did-you-mean, so the three functions live here, below all of them.
"""

from __future__ import annotations

from tiandz.core.config import Config
from tiandz.core.model import Proposal
from tiandz.core.problems import closest, refuse


def unit_hint(config: Config, name: str) -> str | None:
    """Did-you-mean for a unit, always naming the full name even when a 简称 was the near one."""
    guess = closest(name, config.unit_index.keys())
    return f"是否为“{config.unit_index[guess].name}”？" if guess else None


def unit_name(config: Config, typed: str, option: str) -> str:
    """The full name of a unit typed by full name or 简称; refused with a did-you-mean when unknown."""
    unit = config.unit(typed)
    if unit is None:
        hint = unit_hint(config, typed) or "承办单位列在 tiandz.yaml 的“承办单位”中"
        refuse(f"“{typed}”不是 tiandz.yaml 中的承办单位", field=option, hint=hint)
    return unit.name


def normalize_units(item: Proposal, config: Config) -> None:
    """Replace every 简称 by its unit's full name, so counting and comparing see one name per unit.

    Called by the loader on the item it has just validated (the file is not touched); never by a rule.
    """
    full = lambda names: [config.full_name(name) for name in names]
    if item.assignment:
        item.assignment.lead_units = full(item.assignment.lead_units)
        item.assignment.co_units = full(item.assignment.co_units)
    for former in item.reassignments:
        former.former_lead_units = full(former.former_lead_units)
        former.former_co_units = full(former.former_co_units)
    for part in (*item.opinions, *item.contacts, *item.replies):
        if part.unit is not None:
            part.unit = config.full_name(part.unit)
