"""The county report over a generated county: parallel, cached, and its memory.

    python -m benchmarks.bench_county [--villages 300] [--years 3] [--small 50]
                                      [--speedup-on big|small|only-small]

Generates (once, kept under ``/tmp/cunzhang-bench/``) a county with ``scripts.county`` and
runs ``cunzhang report income`` over it, each run in a fresh process with a fresh report
cache (``$CUNZHANG_CACHE``) and Beancount's own pickle cache off, so every load is cold:

- cold on all cores against the same work on one core — target ≥ 1.7× on 2 cores;
- warm (the cache of the cold run) after one village got a new entry, against
  cold — target ≤ 5%;
- peak memory (maximum resident set) of the parent and of the largest worker, at
  ``--small`` villages and at ``--villages`` — a worker should not grow with the county.

The machine's load (``os.getloadavg``) is printed with the numbers: on a busy machine the
parallel ratio is lower than the hardware allows.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from projects.layout import villages_under
from scripts import county

BENCH = Path(tempfile.gettempdir()) / "cunzhang-bench"
DONE = ".complete"
#: A cold run: Beancount's pickle cache (``.main.beancount.picklecache``) stays off.
COLD_ENV = {"BEANCOUNT_DISABLE_LOAD_CACHE": "1"}


def ensure_county(villages: int, years: int, seed: int = 1) -> Path:
    """The generated county's ledgers folder, generated on first use."""
    folder = BENCH / f"county-{villages}x{years}-s{seed}"
    if not (folder / DONE).exists():
        if folder.exists():
            subprocess.run(["rm", "-rf", str(folder)], check=True)
        started = time.perf_counter()
        county.generate(folder, villages, years, seed)
        seconds = time.perf_counter() - started
        print(f"  generated {villages} villages × {years} years in {seconds:.1f} s → {folder}")
        (folder / DONE).write_text(f"{seconds:.1f}\n", "utf-8")
    return folder


def load_average() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def peak_kib(who: int) -> int:
    """Maximum resident set in KiB (Linux reports ``ru_maxrss`` in KiB)."""
    return resource.getrusage(who).ru_maxrss


def snapshot() -> Path:
    """A copy of the code taken once, run by every child: code edited while a long benchmark
    runs would change the report cache's key and turn the warm run into a cold one."""
    global _snapshot
    if _snapshot is None:
        _snapshot = Path(tempfile.mkdtemp(prefix="cunzhang-code-"))
        for package in PACKAGES:
            shutil.copytree(REPO / package, _snapshot / package, ignore=IGNORE)
    return _snapshot


REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("projects", "importers", "scripts", "benchmarks")
IGNORE = shutil.ignore_patterns("__pycache__")
_snapshot: Path | None = None


def in_child(module: str, *args: str, cache: Path | None = None) -> dict:
    """Run ``python -m module --child args…`` on the code snapshot in a fresh process; its
    JSON result."""
    env = {**os.environ, **COLD_ENV}
    if cache is not None:
        env["CUNZHANG_CACHE"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-m", module, "--child", *args],
        cwd=snapshot(),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{module} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["code"].startswith(str(snapshot())), result["code"]
    return result


def run_cli(argv: list[str]) -> dict:
    """Run ``cunzhang argv`` in this process (output discarded): seconds and peak memory."""
    from projects import township
    from scripts.cli import main

    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        main(argv, standalone_mode=False)
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return {
        "seconds": time.perf_counter() - started,
        "cpu_seconds": sum(u.ru_utime + u.ru_stime for u in usage),
        "parent_kib": peak_kib(resource.RUSAGE_SELF),
        "worker_kib": peak_kib(resource.RUSAGE_CHILDREN),
        "output_chars": len(out.getvalue()),
        "code": str(township.CODE),
    }


def report(ledgers: Path, jobs: int, cache: Path) -> dict:
    """``cunzhang report income`` over the county in a fresh process."""
    return in_child("benchmarks.bench_county", str(ledgers), str(jobs), cache=cache)


def child(ledgers: str, jobs: str) -> None:
    result = run_cli(["--ledgers", ledgers, "report", "income", "--format", "json", "--jobs", jobs])
    print(json.dumps(result))


def change_one_village(ledgers: Path) -> tuple[Path, bytes]:
    """Add a correcting entry (办公费 → 差旅费) to the first village's last journal; the
    journal's path and its old bytes. It touches no asserted balance."""
    village = villages_under(ledgers)[0]
    journal = sorted((village / "journal").glob("*.beancount"))[-1]
    before = journal.read_bytes()
    journal.write_bytes(
        before
        + f'\n{journal.stem}-06-30 * "更正: 差旅费误记为办公费"\n'
        "  Expenses:513-管理费用:51302-差旅费  12.30 CNY\n"
        "  Expenses:513-管理费用:51301-办公费  -12.30 CNY\n".encode()
    )
    return journal, before


def mib(kib: int) -> str:
    return f"{kib / 1024:7.0f} MiB"


def speedup(county: Path, villages: int, cores: int, caches: Path) -> dict:
    """Cold on all cores, then cold on one; print both (wall and CPU) and their ratio."""
    parallel = report(county, cores, caches / "parallel")
    one = report(county, 1, caches / "one")
    for label, run in ((f"{cores} cores", parallel), ("1 core ", one)):
        cpu = run["cpu_seconds"]
        print(f"  {villages} villages: cold, {label} {run['seconds']:8.1f} s   (CPU {cpu:.1f} s)")
    ratio = one["seconds"] / parallel["seconds"]
    print(f"    speed-up 1 core / {cores} cores {ratio:5.2f} ×  (target ≥ 1.7)")
    return parallel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--small", type=int, default=50, help="the smaller county for memory")
    parser.add_argument(
        "--speedup-on",
        choices=("big", "small", "only-small"),
        default="big",
        help="the county also timed on one core (small: quicker on a busy machine; "
        "only-small: nothing else)",
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    cores = os.cpu_count() or 1
    small = ensure_county(args.small, args.years)
    with tempfile.TemporaryDirectory(prefix="cunzhang-cache-") as scratch:
        caches = Path(scratch)
        print(f"  before: {load_average()}")
        if args.speedup_on == "only-small":
            speedup(small, args.small, cores, caches)
            print(f"  after:  {load_average()}")
            shutil.rmtree(snapshot())
            return
        big = ensure_county(args.villages, args.years)
        cold = report(big, cores, caches / "big")
        # warm right after cold: a change to the code in between would empty the cache
        cached = set((caches / "big").glob("*.pickle"))
        journal, before = change_one_village(big)
        try:
            warm = report(big, cores, caches / "big")
        finally:
            journal.write_bytes(before)
        reloaded = len(set((caches / "big").glob("*.pickle")) - cached)
        print(
            f"  {args.villages} villages × {args.years} years, cold, {cores} cores "
            f"{cold['seconds']:8.1f} s"
        )
        print(f"  warm, 1 changed           {warm['seconds']:8.1f} s  ({reloaded} reloaded)")
        print(
            f"    warm / cold            {warm['seconds'] / cold['seconds']:8.1%}   (target ≤ 5%)"
        )
        if args.speedup_on == "big":
            speedup(big, args.villages, cores, caches)
            small_run = report(small, cores, caches / "small")
        else:
            small_run = speedup(small, args.small, cores, caches)
        print(f"  after:  {load_average()}")
    shutil.rmtree(snapshot())
    print("\n  peak memory        parent       largest worker")
    for label, run in ((f"{args.small} villages", small_run), (f"{args.villages} villages", cold)):
        print(f"  {label:<16}{mib(run['parent_kib'])}  {mib(run['worker_kib'])}")
    print("  target: the worker's peak does not grow with the number of villages")


if __name__ == "__main__":
    main()
