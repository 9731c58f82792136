"""A step's new contents into git's objects, as `git add` would store them at their paths.

A step of one or two files hashes each with `git hash-object`. A step of thousands (an import, a 交办会) has
them written by one `git fast-import`, started in a thread so that git stores them while journal.py works
out the journal's entries and writes the staged copies; where a filter could apply, `manyfiles.hash_objects`
hashes the staged copies as `git add` would. Split from journal.py, which stays the one way a step is
committed and put in place.
"""

from __future__ import annotations

import os
from concurrent.futures import Future
from contextlib import suppress
from pathlib import Path

from tiandz.ledger import git as gitops
from tiandz.ledger.folder import Ledger
from tiandz.ledger.manyfiles import hash_objects

# The pack fast-import writes is not deflated: it finds each blob's delta against the one before as usual (an
# item's new version is a small delta of the same item in the pack already), but leaves the zlib compression
# of the deltas to git's next repack (`gc --auto`). It is the step's longest wait: 15,000 blobs take 0.18 s
# instead of 0.28, for a pack of 3.5 MB instead of 2.2. A clerk's own setting for the variables is kept.
_STORED = {} if "GIT_CONFIG_COUNT" in os.environ else {
    "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "pack.compression", "GIT_CONFIG_VALUE_0": "0"}


def start_hashing(ledger: Ledger, top: Path, staging: Path, tops: list[str], contents: list[bytes]) -> Future | None:
    """A big step's files (journal.MANY or more) into git's objects by one `fast-import`, started in a thread: it
    writes them as one pack (15,000 loose objects are 15,000 files to create: seconds on a slow disk), without
    filters, so only when none applies: the contents have no carriage return (so no line-ending conversion
    changes them) and no path has a filter, ident or working-tree-encoding attribute (one `check-attr` for
    all). The future gives the blob of each file (`tops`: their paths from the top of the work tree), in
    order, or None when fast-import did not give them all. None: not for these files (`hash_blobs` hashes
    them as `git add` would)."""
    if not _unfiltered(top, tops, contents):
        return None
    from concurrent.futures import ThreadPoolExecutor

    def fast_import() -> list[str] | None:
        marks = staging / "marks"
        stream = b"".join(b"blob\nmark :%d\ndata %d\n%s\n" % (number, len(data), data)
                          for number, data in enumerate(contents, start=1))
        # From a file, not through a pipe: subprocess feeds a pipe 4 KB at a time from this thread, which waits
        # for the GIL between writes while the main thread works (fast-import took 0.55 s instead of 0.33).
        given = staging / "blobs.stream"
        try:
            given.write_bytes(stream)
        except OSError:  # a full disk: through the pipe, where git says what it says of a full disk
            gitops.run(ledger.root, "fast-import", "--quiet", f"--export-marks={marks}", input=stream, env=_STORED)
        else:
            del stream
            gitops.run(ledger.root, "fast-import", "--quiet", f"--export-marks={marks}", input_path=given, env=_STORED)
        blobs = dict(line.split(" ", 1) for line in marks.read_text(encoding="ascii").splitlines() if " " in line)
        return [blobs[f":{number}"] for number in range(1, len(tops) + 1)] if len(blobs) == len(tops) else None

    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(fast_import)
    finally:
        pool.shutdown(wait=False)  # the thread ends with the job: nothing is left behind


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


def _unfiltered(top: Path, tops: list[str], contents: list[bytes]) -> bool:
    if any(b"\r" in data for data in contents) or any("\n" in path for path in tops):
        return False
    asked = "".join(path + "\0" for path in tops).encode("utf-8")
    found = gitops.run(top, "check-attr", "-z", "--stdin", "filter", "ident", "working-tree-encoding", input=asked,
                       check=False)
    if found.returncode != 0:
        return False
    fields = found.stdout.split(b"\0")
    values = fields[2::3][: len(tops) * 3]
    return all(value in (b"unspecified", b"unset") for value in values)
