"""Text that clerks bring from Windows: UTF-8 (with or without a byte-order mark) or GBK, as Excel and
Notepad on Chinese Windows save it. One decoder for spreadsheets and text files alike."""

from __future__ import annotations

from tiandz.core.fields import clean_text
from tiandz.core.oserrors import hint, reason, shown_path
from tiandz.core.problems import refuse
from tiandz.files.reading import TEXT_LIMIT, read_bytes

ENCODINGS = ("utf-8-sig", "gb18030")  # gb18030 is a superset of GBK and GB2312


def decode_office_text(data: bytes) -> str | None:
    """The text, or None when it is neither UTF-8 nor GBK."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def read_text_file(path, field: str = "") -> str:
    """A text file named on the command line (`--text-file`); refused with a Chinese reason when unreadable."""
    try:
        data = read_bytes(path, TEXT_LIMIT, follow=True)  # the clerk's own file: a symlink to it is fine
    except OSError as error:
        refuse(f"无法读取 {shown_path(path)}：{reason(error)}", field=field, hint=hint(error))
    text = decode_office_text(data)
    if text is None:
        refuse(f"{path} 既不是 UTF-8 也不是 GBK 编码", field=field)
    return clean_text(text)  # text pasted from Word: a soft break (\x0b) becomes a line break
