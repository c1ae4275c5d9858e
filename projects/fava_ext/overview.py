"""The lines of the 乡镇总览 page, without loading every village into Fava.

A village Fava has loaded gives its line from the tables computed at its load (fresh after
every change of its files). Any other village's line comes from :class:`Lines`: computed in
the background, one village at a time, by one worker process at low priority (so neither
the server's memory nor its requests pay for it) from ``projects.township``'s per-village
report cache, which a village's unchanged files answer without loading it. Until its line
is computed, a village shows as 计算中; a line older than ``REFRESH`` seconds is shown and
computed again, so a change of a village's files shows within that time.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

from projects import township, transaction_facts

#: Where ``cunzhang serve`` keeps its :class:`Lines` in Fava's ``app.config``.
LINES = "CUNZHANG_OVERVIEW"
#: The reports a line is made of.
REPORTS = ("income", "funds", "projects")
#: The most years (Fava's time filter) whose lines are kept and queued: requests choose
#: years without bound, so the least recently asked year's lines go first.
YEARS_KEPT = 8
#: Seconds ``cunzhang serve`` waits after starting before it computes the overview.
PREFILL_AFTER = 10.0
#: Seconds after which a computed line is computed again (from the cache if unchanged).
REFRESH = 30.0
#: The money columns of a line, summed in the township's 合计 row, and its counts.
SUMMED = ("pledged", "found", "unverified", "budget", "spent")
COUNTED = ("projects", "steps_missing")


def line_of(income: list, funds: list, projects: list) -> dict:
    """One village's line: its last income row (of the selected year), funds and projects."""
    latest = income[-1] if income else None
    zero = transaction_facts.ZERO
    return {
        "year": latest.year if latest else None,
        "operating": latest.operating if latest else None,
        "band": latest.band if latest else "—",
        "basis": latest.basis if latest else "",
        "pledged": sum((f.pledged for f in funds), zero),
        "found": sum((f.found for f in funds), zero),
        "unverified": sum((f.unverified for f in funds), zero),
        "projects": len(projects),
        "budget": sum((p.budget or zero for p in projects), zero),
        "spent": sum((p.spent for p in projects), zero),
        "steps_missing": sum(1 for p in projects if p.steps_missing),
    }


def total_of(lines: list[dict]) -> dict:
    """The 合计 of computed lines: every summed column, and 集体经营性收入."""
    zero = transaction_facts.ZERO
    total = {key: sum((line[key] for line in lines), zero) for key in SUMMED}
    total.update({key: sum(line[key] for line in lines) for key in COUNTED})
    total["operating"] = sum((line["operating"] or zero for line in lines), zero)
    return total


def compute_line(folder: Path, year: int | None, code: str) -> dict | str:
    """The line of a village (in the worker process), or why there is none."""
    try:
        rows = township.village_reports(folder, REPORTS, year, code)
    except township.LedgerErrors as error:
        return str(error)
    return line_of(*(rows[name] for name in REPORTS))


def _lower_priority() -> None:
    os.nice(10)


class Lines:
    """Overview lines by village and year, computed in the background (module docstring)."""

    def __init__(self, refresh: float = REFRESH) -> None:
        self.refresh = refresh
        self._lines: dict[tuple[Path, int | None], tuple[float, dict | str]] = {}
        self._queue: OrderedDict[tuple[Path, int | None], None] = OrderedDict()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._code: str | None = None
        self._not_before = 0.0
        self._years: OrderedDict[int | None, None] = OrderedDict()

    def __len__(self) -> int:
        """How many lines are kept and queued."""
        return len(self._lines) + len(self._queue)

    def line(self, folder: Path, year: int | None) -> dict | str | None:
        """The village's line if computed (none yet: it is queued)."""
        self._asked(year)
        key = (folder, year)
        found = self._lines.get(key)
        if found is None or time.monotonic() - found[0] > self.refresh:
            self.want([key], first=True)
        return None if found is None else found[1]

    def want(
        self, keys: list[tuple[Path, int | None]], first: bool = False, after: float = 0.0
    ) -> None:
        """Queue lines to compute (``first``: before those already queued), starting no
        sooner than ``after`` seconds from now if the worker is not running (a server
        prefilling the overview lets its start-up go first)."""
        with self._lock:
            if self._worker is None:
                self._not_before = time.monotonic() + after
            for key in keys:
                self._queue[key] = None
                if first:
                    self._queue.move_to_end(key, last=False)
            if self._queue and self._worker is None:
                self._worker = threading.Thread(target=self._work, daemon=True)
                self._worker.start()

    def _asked(self, year: int | None) -> None:
        """Note ``year`` as the most recently asked; forget the lines of the least recently
        asked one beyond ``YEARS_KEPT``."""
        with self._lock:
            self._years[year] = None
            self._years.move_to_end(year)
            if len(self._years) <= YEARS_KEPT:
                return
            dropped = next(iter(self._years))
            del self._years[dropped]
            for key in [k for k in self._queue if k[1] == dropped]:
                del self._queue[key]
            for key in [k for k in self._lines if k[1] == dropped]:
                del self._lines[key]

    def _work(self) -> None:
        """Compute queued lines in one low-priority process, until the queue is empty."""
        time.sleep(max(0.0, self._not_before - time.monotonic()))
        self._code = self._code or township.code_digest()
        context = multiprocessing.get_context("spawn")  # the server runs threads: no fork
        with concurrent.futures.ProcessPoolExecutor(
            1, mp_context=context, initializer=_lower_priority
        ) as pool:
            while True:
                with self._lock:
                    if not self._queue:
                        self._worker = None
                        return
                    key = next(iter(self._queue))
                    del self._queue[key]
                try:
                    result = pool.submit(compute_line, *key, self._code).result()
                except Exception as error:  # a broken village must not stop the others
                    result = f"无法计算 (cannot compute): {' '.join(str(error).split())}"
                with self._lock:
                    if key[1] is None or key[1] in self._years:  # not dropped meanwhile
                        self._lines[key] = (time.monotonic(), result)
