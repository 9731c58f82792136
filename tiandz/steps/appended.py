"""An item a step changed only by appending keys to its file (common.add_key: the 交办 of a plain file),
judged after the change without reading the whole file again.

The engine judges every item after its change as `check` would judge the file. For a file the step's scan
found sound as it is (with this tiandz.yaml and calendar) and to which the step only appended a top-level
key, the file's text is its old text and the new key, and the item its old model and the new part: only the
appended text is parsed and only the new part validated (there is no model rule across parts), and then
every rule of `check` is run on the whole item, as it always is. A 交办会 of 15,000 items otherwise parses
and validates 15,000 files a second time. Anything that is not that plain case, and any error found, goes
to the full judgement, so a refusal reads exactly as before.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from pydantic import TypeAdapter, ValidationError

from tiandz.core.model import Proposal
from tiandz.core.problems import ERROR
from tiandz.core.rules import check_item, known_units
from tiandz.core.units import normalize_units
from tiandz.files.yamlio import YamlError, parse
from tiandz.ledger.folder import Ledger
from tiandz.ledger.items import context_for

_FIELDS = {field.alias: name for name, field in Proposal.model_fields.items()}


def judged_appended(ledger: Ledger, item: Proposal, path, original: str, text: str, today: dt.date) -> Proposal | None:
    """The item after the change when `text` is `original` (found sound) with new keys appended and the
    whole passes every rule without an error; None when it must be judged in full."""
    if not text.startswith(original) or not original.endswith("\n"):
        return None
    try:
        block = _parsed_block(text[len(original):])
    except YamlError:
        return None
    if not isinstance(block, dict) or not block:
        return None
    update: dict[str, Any] = {}
    for key, value in block.items():
        name = _FIELDS.get(key)
        if name is None or getattr(item, name) != Proposal.model_fields[name].get_default(call_default_factory=True):
            return None  # not a field, or one the file already had: the full judgement says what is wrong
        try:
            update[name] = _adapter(name).validate_python(value)
        except ValidationError:
            return None
    changed = item.model_copy(update=update)
    context = context_for(ledger, path, today)
    findings = list(known_units(changed, context))
    normalize_units(changed, ledger.config)
    findings += check_item(changed, context)
    if any(finding.severity == ERROR for finding in findings):
        return None
    return changed


@functools.lru_cache(maxsize=1024)
def _parsed_block(text: str) -> Any:
    """The appended text parsed; a 交办会 appends a few hundred distinct 交办 to 15,000 files. The data is
    only read by the validators that follow (they make new values), so one parse serves every file."""
    return parse(text)


@functools.lru_cache(maxsize=None)
def _adapter(name: str) -> TypeAdapter:
    """The validator of one field of the item, as the model validates it (its type and its constraints)."""
    from typing import Annotated

    field = Proposal.model_fields[name]
    annotation = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    return TypeAdapter(annotation)
