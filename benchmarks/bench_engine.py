"""Benchmark: the per-village cost of a township command on each engine, to size a cluster.

    python -m benchmarks.bench_engine [PATH] [--jobs 2]

Over the villages under PATH (default: the demo township 青石镇), cold (an empty report
cache, no Beancount load cache), runs ``report income`` and ``export --parquet``:

- in this process, one village after another: the CPU seconds per village-year, the figure
  to size a cluster with (it hardly depends on the machine's load);
- on the local process pool and on a dask LocalCluster of as many worker processes,
  reached by its address as a real cluster is (its start-up is timed apart): the wall
  time, and dask's time against the local pool's.

A village-year is one ``journal/<年>.beancount`` file.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from distributed import LocalCluster

from projects import township
from projects.engine import map_villages
from projects.layout import EMBEDDED_LEDGERS, villages_under
from projects.parquet import export_village


def cold(villages: list[Path]) -> None:
    """Forget every cache: the report cache folder and Beancount's pickled loads."""
    shutil.rmtree(township.cache_dir(), ignore_errors=True)
    for folder in villages:
        for cache in folder.glob(".*.picklecache"):
            cache.unlink()


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=EMBEDDED_LEDGERS / "青石镇")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    villages = villages_under(args.path)
    years = sum(len(list((v / "journal").glob("*.beancount"))) for v in villages)
    scratch = Path(tempfile.mkdtemp(prefix="cunzhang-bench-engine-"))
    os.environ["CUNZHANG_CACHE"] = str(scratch / "cache")  # before the workers start
    print(f"{len(villages)} 个村 villages, {years} 村·年 village-years, --jobs {args.jobs}")
    print(f"负载 load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    start = time.perf_counter()
    cluster = LocalCluster(
        n_workers=args.jobs,
        threads_per_worker=1,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    print(f"dask LocalCluster 启动 start-up: {time.perf_counter() - start:.1f} s")
    engines = {
        "serial": {"engine": "local", "jobs": 1},
        "local": {"engine": "local"},
        "dask": {"engine": "dask", "scheduler": cluster.scheduler_address},
    }
    works: dict[str, Callable[[dict], object]] = {
        "report income": lambda e: township.report(villages, "income", None, **e),
        "export --parquet": lambda e: map_villages(
            export_village, villages, scratch / "parquet", **e
        ),
    }
    try:
        for name, work in works.items():
            seconds = {}
            for engine, options in engines.items():
                cold(villages)
                cpu = time.process_time()
                seconds[engine] = timed(lambda w=work, o=options: w({"jobs": args.jobs, **o}))
                cpu = time.process_time() - cpu
                line = f"{name:18} {engine:6} {seconds[engine]:7.2f} s wall"
                if engine == "serial":
                    line += f"   CPU {cpu * 1000 / years:6.0f} ms/村·年 village-year"
                print(line)
            print(f"{name:18} dask/local = {seconds['dask'] / seconds['local']:.2f}")
    finally:
        cluster.close()
        shutil.rmtree(scratch, ignore_errors=True)
        print(f"负载 load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
