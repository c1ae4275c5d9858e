"""Disclosures for a whole county against merely loading it.

    python -m benchmarks.bench_disclose [--villages 300] [--years 3] [--period 2025]

Over a generated county (``benchmarks.bench_county.ensure_county``), in fresh processes
with Beancount's pickle cache off and the same number of worker processes (all cores):

- ``cunzhang disclose COUNTY --period P --format json --out TMP``;
- loading every village (``projects.ledger.load``, the plugin included), nothing else.

Prints both times and their ratio. Target: ≤ 1.5×.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from benchmarks.bench_county import ensure_county, in_child, load_average, run_cli, snapshot
from projects.layout import villages_under
from projects.ledger import load


def entry_count(folder: Path) -> int:
    return len(load(folder).entries)


def load_all(ledgers: str, jobs: str) -> dict:
    """Load every village in a pool of ``jobs`` processes; seconds."""
    villages = villages_under(Path(ledgers))
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=int(jobs)) as pool:
        entries = sum(pool.map(entry_count, villages, chunksize=1))
    return {"seconds": time.perf_counter() - started, "entries": entries, "code": __file__}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--period", default="2025")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        what, *rest = args.child
        if what == "load":
            result = load_all(*rest)
        else:
            ledgers, jobs, period, out = rest
            argv = ["--ledgers", ledgers, "disclose", ledgers, "--period", period]
            result = run_cli([*argv, "--format", "json", "--out", out, "--jobs", jobs])
        print(json.dumps(result))
        return
    cores = str(os.cpu_count() or 1)
    county = ensure_county(args.villages, args.years)
    module = "benchmarks.bench_disclose"
    print(f"disclose: {args.villages} villages × {args.years} years, period {args.period}")
    print(f"  before: {load_average()}")
    loaded = in_child(module, "load", str(county), cores)
    with tempfile.TemporaryDirectory(prefix="cunzhang-disclose-") as out:
        disclosed = in_child(module, "disclose", str(county), cores, args.period, out)
        written = sum(1 for _ in Path(out).glob("*/*.json"))
    print(f"  after:  {load_average()}")
    shutil.rmtree(snapshot())
    print(f"  load the county          {loaded['seconds']:8.1f} s  ({loaded['entries']:,} entries)")
    print(f"  disclose (json)          {disclosed['seconds']:8.1f} s  ({written} villages)")
    ratio = disclosed["seconds"] / loaded["seconds"]
    print(f"    ratio {ratio:5.2f} ×   (target ≤ 1.5)")


if __name__ == "__main__":
    main()
