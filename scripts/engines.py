"""What every township command shares: ``--engine``, ``--scheduler``, ``--jobs``, and the
progress bar.

The options choose where ``projects.engine.map_villages`` runs the per-village work: local
processes (default) or a dask.distributed cluster. :func:`village_progress` shows villages
(or, for ``import``, files) done and time left on stderr while it runs.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click

from projects.engine import ENGINES, EngineError


def engine_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add the three options; an engine that cannot run becomes a one-line CLI error."""

    @click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default="local",
        show_default=True,
        help="各村的计算在哪里运行: local 本机多进程, dask 集群 (run villages locally or on dask).",
    )
    @click.option(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="dask 调度器地址 tcp://host:8786 (默认在本机启动一个集群; with --engine dask).",
    )
    @click.option(
        "--jobs",
        type=int,
        default=None,
        help="本机进程数 local worker processes (默认每核一个 one per core).",
    )
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except EngineError as error:
            raise click.ClickException(str(error)) from error

    return wrapper


@contextlib.contextmanager
def village_progress(count: int, label: str) -> Iterator[Callable[[object], None] | None]:
    """A ``progress`` callback for ``count`` villages (or files), called once each is done:
    click's progress bar (done, time left) on stderr when stderr is a terminal and there
    is more than one; ``None`` (nothing shown) otherwise, so pipes and logs stay clean."""
    if count < 2 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=count, label=label, file=sys.stderr, show_pos=True) as bar:
        yield lambda _village: bar.update(1)
