"""Loading and checking tiandz.yaml: the model, plus the rules that tie its parts together."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from tiandz.core.config import Config
from tiandz.core.problems import ERROR, WARNING, Problem, has_errors
from tiandz.files.documents import read_document, to_problems, validate


def config_findings(config: Config) -> Iterator[tuple[tuple, str, str | None, str]]:
    seen: dict[str, str] = {}
    for index, unit in enumerate(config.units):
        if unit.name in seen:
            yield ("承办单位", index, "名称"), f"承办单位“{unit.name}”重复", None, ERROR
        seen.setdefault(unit.name, unit.name)
    for index, unit in enumerate(config.units):
        for position, abbreviation in enumerate(unit.abbreviations):
            owner = seen.get(abbreviation)
            if owner is not None and owner != unit.name:
                yield (
                    ("承办单位", index, "简称", position),
                    f"简称“{abbreviation}”已是“{owner}”的名称或简称",
                    "一个简称只能对应一个单位",
                    ERROR,
                )
            seen.setdefault(abbreviation, unit.name)
    yield from _accounts_named_twice(config)
    for index, solved in enumerate(config.solved_classes):
        if solved not in config.classes:
            yield ("已解决类别", index), f"“{solved}”不是分类中的类别", f"分类有：{'、'.join(config.classes)}", ERROR
    if not config.classes:
        yield ("分类",), "分类不能为空", None, ERROR


def _accounts_named_twice(config: Config) -> Iterator[tuple[tuple, str, str | None, str]]:
    """An account on the server is one unit or the office: named twice, the guard could take a unit's push for
    the office's, or for another unit's."""
    owners = {account: "交办机关" for account in config.server.office_accounts}
    for index, unit in enumerate(config.units):
        for position, account in enumerate(unit.accounts):
            owner = owners.get(account)
            if owner is not None and owner != unit.name:
                yield (("承办单位", index, "账号", position), f"账号“{account}”已是{owner}的账号",
                       "服务器上一个账号只能属于一个单位或交办机关", ERROR)
            owners.setdefault(account, unit.name)


def load_config(path: Path, shown: str = "tiandz.yaml") -> tuple[Config | None, list[Problem]]:
    """The configuration and its problems; None when it cannot be used at all."""
    text, data, problems = read_document(path, shown)
    if problems:
        return None, problems
    retired = list(_retired_keys(data))
    config, errors = validate(Config, data)
    if config is None:
        return None, to_problems(shown, text, [*retired, *((*error, ERROR) for error in errors)])
    problems = to_problems(shown, text, [*retired, *config_findings(config)])
    return (None if has_errors(problems) else config), problems


def _retired_keys(data: dict) -> Iterator[tuple[tuple, str, str | None, str]]:
    """Keys older ledgers have that tiandz no longer reads: taken out before validation, with a warning.

    时限.公开 (publish within N working days) was configured and checked but nothing used it: the ledger
    records no 公开日期, so no rule can tell whether an answer was published in time.
    """
    limits = data.get("时限")
    if isinstance(limits, dict) and "公开" in limits:
        del limits["公开"]
        yield ("时限", "公开"), "时限.公开 不再使用：台账不记录公开日期，没有规则用到它", "可以删除这一行", WARNING
