"""Where the per-village work of a township or county command runs: one seam, two engines.

Every township command (``report``, ``check``, ``disclose``, ``export``) is a function of
one village folder, mapped over the villages::

    results = map_villages(village_report, folders, "income", 2024, code)

``engine="local"`` (the default) runs it in a pool of processes on this machine;
``engine="dask"`` runs the same function on a dask.distributed cluster — the one at
``scheduler`` (``tcp://host:8786``), or a local cluster started for the run. The function
and its arguments must be picklable and importable on the workers (cunzhang installed
there), and the ledgers must be at the same absolute path on every worker (an NFS mount,
or the same checkout): folders are sent as absolute paths.

Results come back in the folders' order; ``progress(folder)`` is called as each village
finishes. An exception raised for one village is raised here.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

ENGINES = ("local", "dask")
INSTALL_DASK = "pip install 'cunzhang[dask]'  (或 or: pip install 'dask[distributed]')"

T = TypeVar("T")
Progress = Callable[[Path], None] | None


class EngineError(Exception):
    """The engine cannot run: dask missing, or the scheduler cannot be reached."""


def map_villages(
    function: Callable[..., T],
    folders: Sequence[Path],
    *args: Any,
    engine: str = "local",
    scheduler: str | None = None,
    jobs: int | None = None,
    progress: Progress = None,
) -> list[T]:
    """``[function(folder, *args) for folder in folders]``, run by ``engine``.

    ``jobs`` is the number of local processes (``local``) or of the local cluster's
    workers (``dask`` without ``scheduler``); by default one per core.
    """
    if engine not in ENGINES:
        raise EngineError(f"未知的引擎 unknown engine {engine!r}: 可选 {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise EngineError("--scheduler 只用于 --engine dask (a scheduler needs the dask engine)")
    folders = [Path(folder).absolute() for folder in folders]
    jobs = jobs or os.cpu_count() or 1
    if engine == "dask":
        return _on_dask(function, folders, args, scheduler, jobs, progress)
    return _on_processes(function, folders, args, jobs, progress)


def _on_processes(
    function: Callable[..., T], folders: list[Path], args: tuple, jobs: int, progress: Progress
) -> list[T]:
    """This machine: in-process for one job or one village, else a process pool."""
    if jobs == 1 or len(folders) <= 1:
        results = []
        for folder in folders:
            results.append(function(folder, *args))
            if progress:
                progress(folder)
        return results
    done: dict[Path, T] = {}
    with ProcessPoolExecutor(max_workers=min(jobs, len(folders))) as pool:
        futures = {pool.submit(function, folder, *args): folder for folder in folders}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            if progress:
                progress(futures[future])
    return [done[folder] for folder in folders]


def _on_dask(
    function: Callable[..., T],
    folders: list[Path],
    args: tuple,
    scheduler: str | None,
    jobs: int,
    progress: Progress,
) -> list[T]:
    """A dask.distributed cluster: one task per village, gathered in the folders' order."""
    distributed = _import_distributed()
    with _client(distributed, scheduler, jobs) as client:
        futures = {client.submit(function, folder, *args, pure=False): folder for folder in folders}
        done: dict[Path, T] = {}
        for future in distributed.as_completed(futures):
            done[futures[future]] = future.result()
            if progress:
                progress(futures[future])
    return [done[folder] for folder in folders]


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as error:
        raise EngineError(
            f"--engine dask 需要安装 dask 和 distributed (dask is not installed): {INSTALL_DASK}"
        ) from error
    return distributed


@contextmanager
def _client(distributed: Any, scheduler: str | None, jobs: int) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a local cluster of ``jobs`` processes."""
    if scheduler:
        try:
            client = distributed.Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as error:
            raise EngineError(
                f"连不上 dask 调度器 cannot reach the scheduler {scheduler}: {error}"
            ) from error
        with client:
            yield client
        return
    cluster = distributed.LocalCluster(
        n_workers=jobs,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # any free port
        silence_logs=logging.ERROR,
    )
    with cluster, distributed.Client(cluster) as client:
        yield client
