"""Finding a ledger and its files.

A ledger is a folder with `tiandz.yaml`, found as git finds `.git`: `--ledger`, else $TIANDZ_LEDGER, else
the nearest folder upwards. An item's path follows from its 编号, so finding one item never lists a folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from tiandz.core.ids import ItemId, candidates
from tiandz.core.names import CALENDAR_NAME, CONFIG_NAME
from tiandz.core.problems import TiandzError, refuse
from tiandz.files.calendarfile import load_calendar_file
from tiandz.files.configfile import load_config
from tiandz.ledger.place import item_entries, ledger_root, state_folder_of, year_folders
from tiandz.ledger.unchanged import fingerprint


@dataclass
class Ledger:
    root: Path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @cached_property
    def read_as(self) -> str:
        """The fingerprint (ledger/unchanged.py) of tiandz.yaml and calendar.yaml as they were when this Ledger
        first read either: what is worked out with them may be remembered only under that fingerprint."""
        return fingerprint(self.root)

    def reread(self) -> None:
        """Forget tiandz.yaml and calendar.yaml as read so far: the next use reads them again."""
        for name in ("read_as", "config", "holidays"):
            self.__dict__.pop(name, None)

    @cached_property
    def config(self):
        """The validated tiandz.yaml; a broken one refuses every command but `check`, which lists why."""
        self.read_as  # noqa: B018 - taken before the file is read: a later edit is not taken for this one
        config, problems = load_config(self.config_path)
        if config is None:
            raise TiandzError(problems)
        return config

    @cached_property
    def holidays(self):
        """calendar.yaml over chinese-calendar; a broken one refuses every command but `check`, which lists why."""
        self.read_as  # noqa: B018
        calendar, problems = load_calendar_file(self.root / CALENDAR_NAME)
        if calendar is None:
            raise TiandzError(problems)
        return calendar

    @cached_property
    def state_folder(self) -> Path:
        """Where tiandz keeps its own state (cache, lock, numbers, what it wrote but did not commit).

        Inside the repository's git directory (`.git/tiandz/`), where no clone, pull or checkout can deliver
        a file: everything in the work tree may come from someone else's machine. A ledger in a subfolder of
        a larger repository gets a folder of its own under it; a ledger outside git keeps `.tiandz/`.
        """
        return state_folder_of(self.root)

    def relative(self, path: Path | str) -> str:
        """The path as messages show it: relative to the ledger when inside it."""
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep):
            return text[len(root) + 1 :].replace(os.sep, "/")
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return text

    def symlink_in(self, path: Path | str, real_folders: set[str] | None = None, file_too: bool = True) -> str | None:
        """The part of this path inside the ledger that is a symlink (a year folder, an item file), or None.

        A ledger comes by git from other machines: a symlinked year folder or item file could point at any
        file of this one, so tiandz neither reads nor writes through one. `real_folders` (a scan's, for its
        duration) holds the folders already found not to be links: each is looked at once, not once a file.
        `file_too=False`: the last part is not looked at (a reader that opens it with O_NOFOLLOW refuses a link).
        """
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep) and os.sep + "." not in text[len(root):]:  # as a scan names its files:
            current = root  # one lstat a part, no Path objects (a first check does this 15,000 times)
            parts = text[len(root) + 1 :].split(os.sep)
            for number, part in enumerate(parts, start=1):
                current += os.sep + part
                if number == len(parts) and not file_too:
                    break
                folder = number < len(parts) and real_folders is not None
                if folder and current in real_folders:
                    continue
                if os.path.islink(current):
                    return self.relative(Path(current))
                if folder:
                    real_folders.add(current)
            return None
        try:
            parts = Path(path).relative_to(self.root).parts
        except ValueError:
            return None
        current = self.root
        for part in parts:
            current = current / part
            if current.is_symlink():
                return self.relative(current)
        return None

    def refuse_symlink(self, path: Path, real_folders: set[str] | None = None) -> None:
        link = self.symlink_in(path, real_folders)
        if link is not None:
            refuse(f"{link} 是符号链接，tiandz 不经符号链接读写台账中的文件", path=self.relative(path),
                   hint="换成真正的文件或文件夹（git 仓库中的符号链接可能指向这台电脑上的任何文件）")

    def item_path(self, item_id: ItemId) -> Path:
        folder = self._year_paths.get(item_id.year)
        if folder is None:
            folder = self._year_paths[item_id.year] = self.root / str(item_id.year)
        return folder / item_id.file_name

    @cached_property
    def _year_paths(self) -> dict[int, Path]:
        """Each year folder's Path, made once: a 交办会 asks for 15,000 items' paths (one join each, not two)."""
        return {}

    def year_folders(self) -> list[Path]:
        return year_folders(self.root)

    def item_files(self) -> list[Path]:
        """Every file in every year folder, in file order (what `check` must look at)."""
        return [Path(full) for _, full in item_entries(self.root)]

    def item_entries(self) -> list[tuple[str, str]]:
        """(path as messages show it, full path as text) of every file in every year folder, in file order."""
        return item_entries(self.root)

    def resolve_id(self, text: str) -> ItemId:
        """The 编号 a typed ID stands for; refused before any path is built when it is not an ID."""
        found = candidates(text, self.config.year)
        if found is None:
            refuse(
                f"“{text}”不是编号",
                hint="编号形如 2024-J-015，本年度可简写为 J-15",
            )
        existing = [item_id for item_id in found if self.item_path(item_id).is_file()]
        if len(existing) > 1:
            refuse(f"“{text}”有歧义：{'、'.join(map(str, existing))}", hint="请写完整编号")
        if not existing:
            usual = min(found, key=lambda item_id: len(item_id.digits))  # name the three-digit form
            refuse(f"找不到 {usual}", path=self.relative(self.item_path(usual)), hint="tiandz list 可列出全部编号")
        return existing[0]


def find_ledger(option: str | Path | None = None, start: Path | None = None) -> Ledger:
    """--ledger, else $TIANDZ_LEDGER, else the nearest folder upwards with tiandz.yaml."""
    return Ledger(ledger_root(option, start))
