"""``cunzhang export --parquet DIR [PATH]``: every village's postings as one Parquet dataset.

The table and its columns are ``projects.parquet``; each village is written by the
engine's worker (``--engine dask`` on a cluster writes from the workers, so DIR must be a
folder they share). A village with ledger errors is not written; the command lists it and
exits 1.
"""

from __future__ import annotations

from pathlib import Path

import click

from projects.engine import map_villages
from scripts.context import Context
from scripts.engines import engine_options


@click.command("export")
@click.argument("path", required=False)
@click.option(
    "--parquet",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出目录 output folder: township=…/village=…/part-0.parquet.",
)
@engine_options
@click.pass_obj
def export(
    obj: Context,
    path: str | None,
    out: Path,
    engine: str,
    scheduler: str | None,
    jobs: int | None,
) -> None:
    """导出分录 export every village's postings as Parquet, partitioned by township and village."""
    from projects.parquet import export_village  # pyarrow: imported only when exporting

    villages = obj.villages(path)
    out = out.absolute()
    out.mkdir(parents=True, exist_ok=True)
    results = map_villages(
        export_village, villages, out, engine=engine, scheduler=scheduler, jobs=jobs
    )
    refused = [r for r in results if r.problems]
    for result in results:
        if result.problems:
            click.echo(f"✗ {result.label}: 未导出 not exported", err=True)
            for problem in result.problems:
                click.echo(f"  {problem}", err=True)
        else:
            click.echo(f"✓ {result.label}: {result.postings} 条分录 postings → {result.file}")
    total = sum(r.postings for r in results)
    done = len(results) - len(refused)
    click.echo(f"导出 exported: {done} 个村 villages, {total} 条分录 postings → {out}")
    if refused:
        raise SystemExit(1)
