"""A step's new contents into git's objects, as `git add` would store them at their paths.

A step of one or two files hashes each with `git hash-object`. A step of thousands (an import, a 交办会) has
them written by one `git fast-import`, started in a thread so that git stores them while journal.py works
out the journal's entries and writes the staged copies; where a filter could apply, `manyfiles.hash_objects`
hashes the staged copies as `git add` would. Split from journal.py, which stays the one way a step is
committed and put in place.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import Future
from contextlib import suppress
from pathlib import Path

from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger
from tiandz.ledger.manyfiles import hash_objects


def _stored() -> dict[str, str]:
    """The pack fast-import writes is not deflated: it finds each blob's delta against the one before as usual
    (an item's new version is a small delta of the same item in the pack already), but leaves the zlib
    compression to git's next repack. It is the step's longest wait: 15,000 blobs take 0.18 s instead of 0.28,
    for a pack of 3.5 MB instead of 2.2. A clerk's own GIT_CONFIG_COUNT settings are kept (looked at when git
    is run, not when this module was loaded)."""
    if "GIT_CONFIG_COUNT" in os.environ:
        return {}
    return {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "pack.compression", "GIT_CONFIG_VALUE_0": "0"}


class Attributes:
    """Whether any filter, ident or working-tree-encoding attribute applies to a big step's paths, asked of git
    before the step works on its items (a 交办会's are read and judged in workers meanwhile), so that
    `start_hashing` need not wait for it: its question and answer are files, so git never waits for this
    process nor this process for git until `clear` is asked."""

    def __init__(self, top: Path, tops: list[str]):
        self.tops, self.answer, self.process = tops, None, None
        if any("\n" in path for path in tops):
            return  # not asked this way: start_hashing leaves such paths to hash-object anyway
        try:  # a temporary folder without room, or no git: not asked ahead, and asked as before when it is wanted
            self.answer = tempfile.TemporaryFile()
            with tempfile.TemporaryFile() as question:
                question.write("".join(path + "\0" for path in tops).encode("utf-8"))
                question.seek(0)
                self.process = gitops.start(top, "check-attr", "-z", "--stdin", "filter", "ident", "working-tree-encoding",
                                            stdin=question, stdout=self.answer)
        except OSError:
            self.process = None

    def clear(self) -> bool | None:
        """No such attribute on any path (git said so), or False; None when git could not be asked ahead."""
        if self.process is None:
            if self.answer is not None:
                self.answer.close()
            return None
        try:
            if self.process.wait() != 0:
                return False
            self.answer.seek(0)
            return _no_filters(self.answer.read(), len(self.tops))
        finally:
            self.answer.close()


def start_hashing(ledger: Ledger, top: Path, staging: Path, tops: list[str], contents: list[bytes],
                  attributes: Attributes | None = None) -> Future | None:
    """A big step's files (journal.MANY or more) into git's objects by one `fast-import`, started in a thread: it
    writes them as one pack (15,000 loose objects are 15,000 files to create: seconds on a slow disk), without
    filters, so only when none applies: the contents have no carriage return (so no line-ending conversion
    changes them) and no path has a filter, ident or working-tree-encoding attribute (one `check-attr` for
    all). The future gives the blob of each file (`tops`: their paths from the top of the work tree), in
    order, or None when fast-import did not give them all. None: not for these files (`hash_blobs` hashes
    them as `git add` would)."""
    asked = attributes.clear() if attributes is not None and attributes.tops == tops else None
    if not _unfiltered(top, tops, contents, asked):
        return None
    from concurrent.futures import ThreadPoolExecutor

    def fast_import() -> list[str] | None:
        marks = staging / "marks"
        # The stream as its pieces, written by writev: joined first, this thread held the GIL copying 30 MB while
        # the main thread worked, and fast-import started a tenth of a second later.
        parts: list[bytes] = []
        for number, data in enumerate(contents, start=1):
            parts += (b"blob\nmark :%d\ndata %d\n" % (number, len(data)), data, b"\n")
        # From a file, not through a pipe: subprocess feeds a pipe 4 KB at a time from this thread, which waits
        # for the GIL between writes while the main thread works (fast-import took 0.55 s instead of 0.33).
        given = staging / "blobs.stream"
        try:
            _write_parts(given, parts)
        except OSError:  # a full disk: through the pipe, where git says what it says of a full disk
            gitops.run(ledger.root, "fast-import", "--quiet", f"--export-marks={marks}", input=b"".join(parts), env=_stored())
        else:
            del parts
            gitops.run(ledger.root, "fast-import", "--quiet", f"--export-marks={marks}", input_path=given, env=_stored())
        blobs = dict(line.split(" ", 1) for line in marks.read_text(encoding="ascii").splitlines() if " " in line)
        return [blobs[f":{number}"] for number in range(1, len(tops) + 1)] if len(blobs) == len(tops) else None

    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(fast_import)
    finally:
        pool.shutdown(wait=False)  # the thread ends with the job: nothing is left behind


def _write_parts(path: Path, parts: list[bytes]) -> None:
    """The parts one after the other into a new file, a thousand at a time by writev (Python's lock released
    meanwhile); where there is no writev (Windows), by a buffered file."""
    if not hasattr(os, "writev"):
        with open(path, "wb") as stream:
            stream.writelines(parts)
        return
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for start in range(0, len(parts), 1000):  # IOV_MAX is 1024 on Linux and macOS
            batch = parts[start : start + 1000]
            written = os.writev(descriptor, batch)
            if written < sum(map(len, batch)):  # written in part (a signal, a quota): the rest plainly
                rest = memoryview(b"".join(batch))[written:]
                while rest:
                    rest = rest[os.write(descriptor, rest):]
    finally:
        os.close(descriptor)


def settled(hashing: Future | None) -> None:
    """A started fast-import done with (its outcome no longer wanted) before the staging folder goes."""
    if hashing is not None:
        with suppress(BaseException):
            hashing.result()


def hash_blobs(ledger: Ledger, top: Path, staging: Path, entries: list[dict], contents: list[bytes],
                hashing: Future | None) -> None:
    """Each staged file into git's objects, as `git add` would store it at its path (its attributes' filters):
    from the fast-import started for them (`start_hashing`), else by `manyfiles.hash_objects` (one process
    for all when no attribute at all applies, else one a file, as `git add` would)."""
    blobs = hashing.result() if hashing is not None else None
    if blobs is not None:
        for entry, blob in zip(entries, blobs):
            entry["blob"] = blob
        return
    for entry, data in zip(entries, contents):  # hash-object reads files: the appended ones' copies too
        if "appended" in entry:
            (staging / entry["staged"]).write_bytes(data)
    for entry, blob in zip(entries, hash_objects(ledger, top, staging, entries)):  # one process when it can
        entry["blob"] = blob


def _unfiltered(top: Path, tops: list[str], contents: list[bytes], asked: bool | None = None) -> bool:
    """No content has a carriage return and no path a filter (`asked`: git's answer, where it was asked ahead)."""
    if any(b"\r" in data for data in contents) or any("\n" in path for path in tops):
        return False
    if asked is not None:
        return asked
    given = "".join(path + "\0" for path in tops).encode("utf-8")
    found = gitops.run(top, "check-attr", "-z", "--stdin", "filter", "ident", "working-tree-encoding", input=given,
                       check=False)
    return found.returncode == 0 and _no_filters(found.stdout, len(tops))


def _no_filters(output: bytes, count: int) -> bool:
    fields = output.split(b"\0")
    values = fields[2::3][: count * 3]
    return len(values) == count * 3 and all(value in (b"unspecified", b"unset") for value in values)
