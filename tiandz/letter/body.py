"""What of the letter the clerk already typed into 答复.正文.

Units often paste the whole letter into the answer: the salutation, “您提出的……收悉”, the thanks at the end,
even the unit's name and the date. The letter must not say those twice, so they are recognised here and
the template's own words are used only where the text has none. Pure text in, parts out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SALUTATION = re.compile(r"^[^。！？]{1,40}(代表|委员|同志|先生|女士|们|会|组|部|党)[：:]$")
# Only “收悉” names the item received: an opening without it (“经认真研究，现答复如下：”) leads into the answer
# but leaves the reference to the item to the template.
_RECEIVED = re.compile(r"收悉")
_LEAD_IN = re.compile(r"答复如下")
_CLOSING = re.compile(r"感谢|关心和?支持|欢迎.{0,10}(提出|批评)")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^\d{4}-\d{1,2}-\d{1,2}$")
# What the letter prints itself from the file: a 附注 in parentheses, a contact line, a 抄送 line.
_FOOTER_LINE = re.compile(r"^[（(].*[）)]$|^(联系人|联系电话|联系方式|抄送)[：:]")


@dataclass(frozen=True)
class LetterText:
    salutation: str | None
    has_opening: bool  # the first paragraph says 收悉: the letter adds no opening of its own
    body: str
    has_closing: bool
    lead_in: str = ""  # a first paragraph leading into the answer without 收悉 (not part of `body`)


def split_letter_text(text: str, signers: tuple[str, ...] = ()) -> LetterText:
    """The clerk's salutation (if any), whether it opens and closes, and the text without the signature."""
    lines = [line.strip(" \t\u3000") for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    salutation = None
    if lines and _SALUTATION.match(lines[0]):
        salutation = lines.pop(0).rstrip(":：") + "："
    # A pasted signature block at the very end: the unit's name, the date, the 附注 and 抄送 lines.
    while len(lines) > 1 and (_DATE_LINE.match(lines[-1]) or _FOOTER_LINE.match(lines[-1]) or _is_signature(lines[-1], signers)):
        lines.pop()
    has_opening = bool(lines) and bool(_RECEIVED.search(lines[0]))
    has_closing = bool(lines) and len(lines) > 1 and bool(_CLOSING.search(lines[-1]))
    lead_in = ""
    if lines and not has_opening and _LEAD_IN.search(lines[0]):
        lead_in = lines.pop(0)
    return LetterText(salutation, has_opening, "\n".join(lines), has_closing, lead_in)


def reference_part(opening: str) -> str:
    """The template's opening without its own lead-in sentence (“……收悉。现答复如下：” → “……收悉。”).

    Joined to the clerk's lead-in, so that the letter names the item once and says 答复如下 once.
    """
    at = opening.rfind("答复如下")
    if at < 0:
        return opening
    head = opening[:at]
    cut = max(head.rfind(mark) for mark in "。！；")  # the whole last sentence goes, 重新办理 and all
    if cut < head.rfind("》"):
        cut = max(head.rfind(mark) for mark in "，,")
    # No sentence mark after the title: the lead-in is run on (“……收悉现答复如下”), cut its words off.
    kept = head.rstrip("现将有关情况就此") if cut < head.rfind("》") else head[: cut + 1]
    kept = kept.rstrip("，,")
    return kept if kept.endswith(("。", "！", "；")) else kept + "。"


def _is_signature(line: str, signers: tuple[str, ...]) -> bool:
    """The unit's name as signed, maybe with the county before it (宁和县教育和体育局 for 县教育和体育局)."""
    if line in signers:
        return True
    return len(line) <= 25 and not re.search(r"[，。；、！？,;]", line) and any(
        line.endswith(name) for name in signers if len(name) >= 3
    )
