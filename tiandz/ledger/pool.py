"""Work on many files in parallel processes: the first scan of a large ledger, a year's reply letters.

Both are a list of independent jobs whose results come back in order. Workers are forked, so they inherit
what the parent has already loaded (the ledger's configuration, the imported libraries) instead of loading
it again; where there is no fork (Windows) or too little work to pay for starting workers, the jobs run in
this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Callable, Iterator, Sequence, TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")

MOST_WORKERS = 8
_work: Callable | None = None  # set in the parent before forking, inherited by every worker


def map_jobs(work: Callable[[Job], Result], jobs: Sequence[Job], **options) -> list[Result]:
    """[work(job) for job in jobs], in processes when there are at least `parallel_from` jobs and cores;
    the options are each_result's."""
    return list(each_result(work, jobs, **options))


def each_result(
    work: Callable[[Job], Result],
    jobs: Sequence[Job],
    *,
    parallel_from: int,
    chunk: int,
    progress: Callable[[int, int], None] | None = None,
    every: int = 1,
) -> Iterator[Result]:
    """Each of work(job) for job in jobs, in order, as soon as it and those before it are done (the caller
    works on them while the workers go on); in processes when there are at least `parallel_from` jobs and
    cores, each handed `chunk` jobs at a time.

    `progress(done, total)` is called after every `every` jobs in one process, after each chunk in many.
    """
    global _work
    workers = min(os.cpu_count() or 1, MOST_WORKERS)
    if len(jobs) < parallel_from or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for number, job in enumerate(jobs, start=1):
            yield work(job)
            if progress and number % every == 0:
                progress(number, len(jobs))
        return
    from concurrent.futures import ProcessPoolExecutor

    _work = work
    chunks = [jobs[start : start + chunk] for start in range(0, len(jobs), chunk)]
    done = 0
    # The parent's objects, inherited by every worker, are left out of the workers' garbage collections: each
    # full collection would walk them all again (and touch, so copy, their memory pages). They stay out of
    # this process's too: they live as long as the command (a scan's entries, the configuration), and walking
    # them again after the pool made each full collection here a tenth of a second, while the workers waited
    # for their next jobs. What is made from here on is collected as usual.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for chunk_results in pool.map(_run_chunk, chunks):
                yield from chunk_results
                done += len(chunk_results)
                if progress:
                    progress(done, len(jobs))
    finally:
        _work = None


def _run_chunk(chunk: Sequence) -> list:
    return [_work(job) for job in chunk]


_background: Callable | None = None  # as _work, for in_background


def in_background(work: Callable[[], Result]) -> Callable[[], Result]:
    """work() started in a forked process while this one goes on; call what is returned for its result (its
    exception is raised there). Where there is no fork or a second core, work() runs when its result is asked
    for. The result comes back pickled, so it should be plain data."""
    global _background
    if (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return work
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    _background = work
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    try:
        future = pool.submit(_run_background)  # the worker is forked here, with `_background` set
    except OSError:  # no process to be had (a limit on them, no memory): the work is done here, when asked
        pool.shutdown()
        return work
    finally:
        _background = None

    def result() -> Result:
        try:
            return future.result()
        except BrokenProcessPool:  # the worker died (killed, out of memory): here it says why, or does it
            return work()
        finally:
            pool.shutdown()

    return result


def _run_background():
    return _background()
