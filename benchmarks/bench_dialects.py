"""How many spreadsheet dialects of the corpus import exactly, per kind.

    python -m benchmarks.bench_dialects [-v]

Writes every layout of the dialect corpus (``tests/dialects``: journals, voucher lists and
trial balances of 用友, 金蝶, 畅捷通 and the 三资 platforms, bank statements, hand-kept
三栏式 pages) into a scratch folder, imports each into a fresh village (trial balances are
read, as ``cunzhang open-books`` reads them) and compares the result with what the
declaration says (transactions and totals by account, or lines by code). Prints, per kind,
how many import exactly, and with ``-v`` the first line of each refusal or difference.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.bench_county import load_average
from importers.sheet import ImportRefused
from tests.dialects.corpus import Layout, corpus_village, expected, outcome
from tests.dialects.layouts import KINDS, LAYOUTS


def verdict(layout: Layout, scratch: Path) -> str:
    """``""`` when the layout imports exactly, else why not (one line)."""
    folder = scratch / layout.name
    (folder / "ledgers").mkdir(parents=True)
    village = corpus_village(folder / "ledgers")
    try:
        got = outcome(layout, folder, village)
    except ImportRefused as refused:
        return f"refused: {str(refused).splitlines()[0]}"
    except Exception as error:  # a crash is counted, not hidden
        return f"{type(error).__name__}: {error}"
    want = expected(layout)
    return "" if got == want else f"differs: got {got}, expected {want}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="say why each failed")
    args = parser.parse_args()
    started = time.perf_counter()
    exact: Counter[str] = Counter()
    total: Counter[str] = Counter(layout.kind for layout in LAYOUTS)
    failures = []
    with tempfile.TemporaryDirectory(prefix="cunzhang-dialects-") as scratch:
        for layout in LAYOUTS:
            why = verdict(layout, Path(scratch))
            if why:
                failures.append((layout, why))
            else:
                exact[layout.kind] += 1
    seconds = time.perf_counter() - started
    print(f"dialects: {len(LAYOUTS)} layouts in {seconds:.1f} s ({load_average()})")
    for kind in KINDS:
        print(f"  {kind}: {exact[kind]} / {total[kind]} import exactly")
    print(f"  all: {sum(exact.values())} / {len(LAYOUTS)}")
    if args.verbose:
        for layout, why in failures:
            print(f"  ✗ {layout.name}: {why[:200]}")


if __name__ == "__main__":
    main()
