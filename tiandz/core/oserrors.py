"""What the operating system said, in Chinese: a failed read or write as a problem naming the path and why.

Python's OSError speaks English ("[Errno 28] No space left on device"). A clerk meets these on a read-only
share, a full disk, a path pasted twice into -o, a file open in Word; each becomes one Chinese sentence with
the path, and a hint what to do. Every message that quotes an OSError takes its reason from here, and the
command line turns any OSError no command caught into the same problem instead of an internal error.
"""

from __future__ import annotations

import errno

from tiandz.core.problems import Problem

_REASONS = {
    errno.EACCES: ("没有权限", "检查文件和文件夹的权限；文件可能正在别的程序中打开"),
    errno.EPERM: ("没有权限", "检查文件和文件夹的权限；文件可能正在别的程序中打开"),
    errno.ENOSPC: ("磁盘已满", "清理磁盘空间后再试"),
    errno.ENAMETOOLONG: ("路径太长", "换一个短一些的路径或文件名"),
    errno.EROFS: ("只读文件系统", "台账所在的磁盘或共享文件夹只能读、不能写，换到可写的位置再试"),
    errno.ENOENT: ("找不到", "检查路径是否写对"),
    errno.EISDIR: ("是文件夹，不是文件", "写上文件名"),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "检查路径是否写对"),
    errno.EEXIST: ("已经存在", None),
    errno.ENOTEMPTY: ("文件夹不是空的", None),
    errno.EBUSY: ("正被占用", "关闭正在使用它的程序后再试"),
    errno.ETXTBSY: ("正被占用", "关闭正在使用它的程序后再试"),
    errno.ELOOP: ("符号链接太多层或循环", None),
    errno.EFBIG: ("文件太大", None),
    errno.EIO: ("读写出错（磁盘或网络故障）", "检查磁盘或网络连接后再试"),
    errno.EMFILE: ("同时打开的文件太多", "关闭一些程序后再试"),
    errno.ENFILE: ("同时打开的文件太多", "关闭一些程序后再试"),
    errno.EINVAL: ("文件名或参数无效", "文件名中不要用 <>:\"/\\|?* 等字符"),
    errno.EXDEV: ("不能跨磁盘移动", None),
    errno.ENODEV: ("没有这个设备", None),
    errno.ENXIO: ("没有这个设备", None),
    errno.ETIMEDOUT: ("网络超时", "检查网络连接后再试"),
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = ("超出磁盘配额", "清理空间或请管理员增加配额")

_LONGEST_SHOWN = 120


def reason(error: OSError) -> str:
    """Why, in Chinese: tiandz's own refusals (files/reading.py) already are; the system's by its errno."""
    own = error.strerror or ""
    if any("\u4e00" <= character <= "\u9fff" for character in own):
        return own
    known = _REASONS.get(error.errno)
    if known:
        return known[0]
    name = errno.errorcode.get(error.errno) if error.errno else None
    return f"系统错误 {name}" if name else "系统错误"


def hint(error: OSError) -> str | None:
    known = _REASONS.get(error.errno)
    return known[1] if known else None


def shown_path(path: object) -> str:
    """A path as a message shows it: a pasted 5,000-character path is cut in the middle."""
    text = path.decode("utf-8", "replace") if isinstance(path, bytes) else str(path)
    if len(text) <= _LONGEST_SHOWN:
        return text
    return f"{text[:60]}…{text[-40:]}（共 {len(text):,} 个字符）"


def os_problem(error: OSError, doing: str = "无法读写") -> Problem:
    """The problem for a failed read or write: the path (the target of a rename), what failed and why."""
    path = error.filename2 if error.filename2 is not None else error.filename
    return Problem(shown_path(path) if path is not None else "", None, "", f"{doing}：{reason(error)}", hint(error))
