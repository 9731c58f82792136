"""Field types shared by the item and the configuration models.

Text pasted from Word or Excel carries control characters (a vertical tab for a soft line break, a bell);
they are cleaned here, once, when a value is validated. Numbers that YAML read as integers (a phone number,
an 案号 like 20200588) are kept as text.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, StrictBool, ValidatorFunctionWrapHandler, WrapValidator
from pydantic_core import PydanticKnownError

# All C0 controls but tab, newlines and \x0b (Word's soft line break, read as one), DEL, and the two
# noncharacters no .docx or .xlsx can hold: dropped from every value when it is validated.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\x7f\ufffe\uffff]")


# What clean_text changes: most values have none of it and are returned as they are (a first check of
# 15,000 items cleans some 250,000 values).
_UNCLEAN = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: Any) -> Any:
    # isprintable() is true of no text that has one of them (all are Unicode Cc or Cn), and twice as quick as
    # the search: the search is left for text with line breaks, tabs or other spaces than ASCII's.
    if isinstance(value, str) and not value.isprintable() and _UNCLEAN.search(value) is not None:
        value = value.replace("\r\n", "\n").replace("\x0b", "\n")
        return CONTROL_CHARACTERS.sub("", value)
    return value


def number_as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    return clean_text(value)


def one_or_many(value: Any) -> Any:
    """A unit list may be written as one name: 主办: 县教体局."""
    if isinstance(value, str):
        return [value]
    return value


def _name(value: Any, handler: ValidatorFunctionWrapHandler) -> str:
    """Cleaned, text, stripped, then not empty (a name of spaces only is empty, which the three calls below let
    through): otherwise what `Annotated[str, BeforeValidator(clean_text),
    StringConstraints(strip_whitespace=True, min_length=1)]` did in three calls into Python a value (pydantic
    cannot apply those constraints in its core after a Python validator), in one: the same error and value."""
    text = handler(clean_text(value)).strip()
    if not text:  # "" and "   " alike: a 提出人 of spaces is no 提出人
        raise PydanticKnownError("too_short", {"field_type": "Value", "min_length": 1, "actual_length": 0})
    return text


Text = Annotated[str, BeforeValidator(clean_text)]
Name = Annotated[str, WrapValidator(_name)]
TextOrNumber = Annotated[str, BeforeValidator(number_as_text)]
Names = Annotated[list[Name], BeforeValidator(one_or_many)]
Flag = StrictBool
