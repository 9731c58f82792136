"""From a YAML file to a validated model or a list of problems, for item files and tiandz.yaml alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel, ValidationError

from tiandz.core.oserrors import hint, reason
from tiandz.core.problems import Problem
from tiandz.core.validation import field_name, translate
from tiandz.files.yamlio import BOM, YamlError, line_finder, parse, read_raw_text, read_text


def read_document(path: Path, shown: str, *, keep_bom: bool = False) -> tuple[str | None, Any, list[Problem]]:
    """(text, data, problems): the text and parsed data, or a problem saying why there are none.

    `keep_bom`: the text as it is, its byte-order mark kept (an edit keeps it); the data is the same."""
    try:
        text = read_raw_text(path) if keep_bom else read_text(path)
    except OSError as error:
        return None, None, [Problem(shown, None, "", f"无法读取：{reason(error)}", hint(error))]
    except YamlError as error:
        return None, None, [Problem(shown, error.line, "", error.message, error.hint)]
    try:
        data = parse(text.removeprefix(BOM) if keep_bom else text)
    except YamlError as error:
        return text, None, [Problem(shown, error.line, "", error.message, error.hint)]
    if data is None:
        return text, None, [Problem(shown, 1, "", "文件为空")]
    if not isinstance(data, dict):
        return text, None, [Problem(shown, 1, "", "文件应由“键: 值”组成，不是列表或单个值")]
    return text, data, []


def validate(model: type[BaseModel], data: dict) -> tuple[BaseModel | None, list[tuple[tuple, str, str | None]]]:
    try:  # what model_validate does with no options, without its keyword handling: once a file of a first check
        return model.__pydantic_validator__.validate_python(data), []
    except ValidationError as error:
        return None, translate(error, model)


def to_problems(
    shown: str, text: str | None, findings: Iterable[tuple[tuple, str, str | None, str]]
) -> list[Problem]:
    """Findings with their lines, sorted in file order (the line, then the order found)."""
    findings = list(findings)
    if not findings:
        return []
    line_of = line_finder(text) if text else (lambda location: None)
    problems = [
        Problem(shown, line_of(location), field_name(location), message, hint, severity)
        for location, message, hint, severity in findings
    ]
    return sorted(problems, key=lambda problem: problem.line or 0)
