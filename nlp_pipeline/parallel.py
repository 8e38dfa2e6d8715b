"""Parallel extraction: map files to records on every core, in input order.

``extract_files(files, workers)`` yields ``(path, records, error)`` for each file
in the order given, exactly as ``run.process_file`` would one after another: the
record ids, their order and the per-file error messages do not depend on the
number of workers. ``workers=1`` runs in this process; more start a
process pool whose workers each load jieba and the rules once.
At most a few files per worker are in flight, so memory stays flat however many
files there are: each file's records go to the writer as soon as they are ready.

Workers never outlive their parent: should it die without shutting the pool down
(``kill -9``, a crash, out of memory), each worker exits at once (``exit_with_parent``).

``warm_up()`` loads jieba's dictionary and the rules ahead of the first
file; it reads jieba's cache with one ``marshal.loads`` of the file's bytes, which
is about four times faster than jieba's own ``marshal.load`` of the open file.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import marshal
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from itertools import islice
from pathlib import Path

from . import attach, budget, events, numbers, quantities, rates, segment
from .io import RenderedRecords, render_jsonl
from .matching import prepare
from .run import process_file
from .schema import ActivityRecord

# Files submitted to the pool per worker ahead of the one being written.
IN_FLIGHT_PER_WORKER = 4

Result = tuple[Path, list[ActivityRecord] | RenderedRecords, str | None]
# process_file's arguments after the path (debug, save_text, timeout), then whether
# a worker process renders the records as JSONL.
Options = tuple[bool, Path | None, float | None, bool]

WORKER_DIED = "the worker process died while processing this file (killed? out of memory?)"

# How often a worker checks that its parent is still alive (the portable fallback).
PARENT_POLL_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def default_workers() -> int:
    """All the cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def load_jieba_dictionary() -> None:
    """Initialize jieba's default dictionary from its cache file in one read.

    Falls back to ``jieba.initialize()`` (which builds the cache when it is
    missing) for a custom dictionary, a missing cache or one that does not load.
    """
    import jieba

    dt = jieba.dt
    if dt.initialized:
        return
    if dt.dictionary is not None or dt.cache_file:
        dt.initialize()
        return
    cache = Path(dt.tmp_dir or tempfile.gettempdir()) / "jieba.cache"
    try:
        loaded = marshal.loads(cache.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        loaded = None
    if not (isinstance(loaded, tuple) and len(loaded) == 2 and isinstance(loaded[0], dict)):
        dt.initialize()
        return
    with dt.lock:
        if not dt.initialized:
            dt.FREQ, dt.total = loaded
            dt.initialized = True


def warm_up() -> None:
    """Load jieba's dictionary and the user dictionary and compile the rules (once per
    process; before a pool forks, so that its workers share them). Extraction needs no
    spaCy pipeline (``matching``), so none is built."""
    import jieba

    jieba.setLogLevel(60)
    load_jieba_dictionary()
    prepare()
    compile_rules()


def compile_rules() -> None:
    """Compile the rule files extraction reads. A broken one is left to fail where it
    always did, at the first document (the cache keeps no exception)."""
    for module in (numbers, quantities, segment, events, attach, budget, rates):
        with contextlib.suppress(Exception):
            module.rules()


def exit_with_parent(parent: int) -> None:
    """End this process as soon as its parent, process ``parent``, is gone.

    A pool's workers wait for work from their parent, and one killed with ``kill -9``
    never tells them to stop: they would live on, idle or still working. On Linux the
    kernel kills this process when its parent dies (``prctl(PR_SET_PDEATHSIG)``; the
    parent is, strictly, the thread that started this process, which for the pool is
    the one that asked for the first result). Everywhere, a daemon thread also checks
    every ``PARENT_POLL_SECONDS`` that the parent is still ``parent`` (an orphan is
    given a new one) and ends the process otherwise.
    """
    _kill_me_with_my_parent()
    if os.getppid() != parent:  # gone before the kernel was asked
        os._exit(1)
    watch = threading.Thread(target=_watch_parent, args=(parent,), daemon=True)
    watch.name = "nlp-pipeline: exit with the parent"
    watch.start()


def _kill_me_with_my_parent() -> None:
    """Ask Linux for SIGKILL when the parent dies; elsewhere, or if refused, nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        libc.prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL))  # -1 if refused
    except (OSError, AttributeError):  # no C library, or no prctl in it
        pass


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def _init_worker(parent: int) -> None:
    # Ctrl-C goes to the whole process group: the parent alone handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(parent)
    warm_up()


def _work(
    path: Path, debug: bool, save_text: Path | None, timeout: float | None, jsonl: bool
) -> Result:
    records, error = process_file(path, debug, save_text, timeout)
    return path, render_jsonl(records) if jsonl else records, error


def _context() -> multiprocessing.context.BaseContext:
    # fork shares the parent's loaded dictionary and compiled rules; elsewhere spawn.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def extract_files(
    files: Iterable[Path],
    workers: int | None = None,
    debug: bool = False,
    save_text: Path | None = None,
    timeout: float | None = None,
    jsonl: bool = False,
) -> Iterator[Result]:
    """``(path, records, error)`` for each file, in order; see the module docstring.

    ``workers`` ``None`` means all cores; it is capped by the number of files.
    The pipeline is loaded at the call; the pool (if any) starts when the first
    result is asked for. While results are being made, the objects alive at that
    moment are hidden from the cyclic garbage collector (``gc.freeze``).
    ``debug``, ``save_text`` and ``timeout`` (seconds per file, in the process that
    works on it) are passed on to ``run.process_file``. With ``jsonl``, records made
    in a worker process come rendered (``io.RenderedRecords``), ready for a JSONL
    ``RecordWriter``; records made in this process are always records. ``PatternError``
    (a broken rule file) propagates, as it does in one process. A file whose worker
    process dies (killed, out of memory) fails with ``WORKER_DIED``; the others
    in flight at that moment are run again, one at a time, to find which it was.
    """
    files = list(files)
    count = default_workers() if workers is None else workers
    count = max(1, min(count, len(files)))
    if count == 1:
        warm_up()
        in_process = (_work(path, debug, save_text, timeout, False) for path in files)
        return _collector_skips_loaded_objects_during(in_process)
    options: Options = (debug, save_text, timeout, jsonl)
    context = _context()
    if context.get_start_method() == "fork":
        warm_up()  # once, shared by the forked workers
    make_pool = partial(
        ProcessPoolExecutor,
        mp_context=context,
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )
    return _collector_skips_loaded_objects_during(_pooled(make_pool, count, files, options))


def _collector_skips_loaded_objects_during(results: Iterator[Result]) -> Iterator[Result]:
    """``results``, made with every object alive at the first hidden from the collector.

    That is mostly jieba's dictionary, the compiled rules and spaCy, loaded once and
    kept to the end. Full collections then skip them (about 3 % of the run), and
    workers forked meanwhile (a pool starts at the first result) do not copy the
    parent's memory pages the collector would otherwise write to (as Python's
    ``gc.freeze`` documentation advises). The objects are handed back at the end.
    """
    gc.freeze()
    try:
        yield from results
    finally:
        gc.unfreeze()


def _pooled(
    make_pool: Callable[[int], ProcessPoolExecutor],
    count: int,
    files: list[Path],
    options: Options,
) -> Iterator[Result]:
    window = count * IN_FLIGHT_PER_WORKER
    queued = iter(files)
    pending: deque[tuple[Path, Future[Result]]] = deque()
    pool = make_pool(count)
    finished = False
    try:
        while True:
            for path in islice(queued, window - len(pending)):
                pending.append((path, pool.submit(_work, path, *options)))
            if not pending:
                break
            path, future = pending.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                suspects = [path, *(p for p, _ in pending)]
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                for suspect in suspects:
                    yield _alone(make_pool, suspect, options)
                pool = make_pool(count)
                continue
            yield result
        finished = True
    finally:
        # After an error or Ctrl-C, files already running finish (within --timeout).
        pool.shutdown(wait=finished, cancel_futures=True)


def _alone(make_pool: Callable[[int], ProcessPoolExecutor], path: Path, options: Options) -> Result:
    """Run one file in a pool of its own: a crash there is this file's."""
    with make_pool(1) as pool:
        try:
            return pool.submit(_work, path, *options).result()
        except BrokenProcessPool:
            return path, [], WORKER_DIED
