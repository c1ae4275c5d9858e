"""The project's checks against bare Beancount, on a ten-year village ledger.

    python -m benchmarks.bench_check [--years 10] [--repeat 5]

Loads a generated village (``scripts.county``, about 1 500 transactions a year) with its
``main.beancount`` as written (``plugin "projects.checks"``), and a copy of the same
ledger with that plugin line removed, alternately ``--repeat`` times with Beancount's
pickle cache off; prints the median of each and their ratio. Target: ≤ 1.15×.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from beancount import loader

from benchmarks.bench_county import ensure_county, load_average
from projects.layout import MAIN, villages_under

PLUGIN = 'plugin "projects.checks"\n'


def load_seconds(main_file: Path) -> tuple[float, int]:
    """Seconds to load the ledger, and how many errors it has."""
    started = time.perf_counter()
    _, errors, _ = loader.load_file(str(main_file))
    return time.perf_counter() - started, len(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    loader.initialize(use_cache=False)
    village = villages_under(ensure_county(1, args.years))[0]
    with tempfile.TemporaryDirectory(prefix="cunzhang-bare-") as scratch:
        bare = Path(scratch) / village.name
        shutil.copytree(village, bare)
        text = (bare / MAIN).read_text("utf-8")
        assert PLUGIN in text
        (bare / MAIN).write_text(text.replace(PLUGIN, ""), "utf-8")
        timings: dict[str, list[float]] = {"plugin": [], "bare": []}
        for _ in range(args.repeat):
            for label, folder in (("plugin", village), ("bare", bare)):
                seconds, errors = load_seconds(folder / MAIN)
                assert errors == 0, f"{folder}: {errors} errors"
                timings[label].append(seconds)
    transactions = sum(
        path.read_text("utf-8").count(" * ") for path in (village / "journal").glob("*")
    )
    with_plugin, without = (statistics.median(timings[k]) for k in ("plugin", "bare"))
    print(f"check: a {args.years}-year village, {transactions:,} transactions ({load_average()})")
    print(f"  Beancount + projects.checks {with_plugin:7.2f} s")
    print(f"  bare Beancount              {without:7.2f} s")
    print(f"    ratio {with_plugin / without:5.2f} ×   (target ≤ 1.15)")


if __name__ == "__main__":
    main()
