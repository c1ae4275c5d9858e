"""``--engine``, ``--scheduler`` and ``--jobs``: the options every township command shares.

They choose where ``projects.engine.map_villages`` runs the per-village work: local
processes (default) or a dask.distributed cluster.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
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
