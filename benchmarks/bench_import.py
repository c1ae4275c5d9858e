"""Benchmark: import a generated cash-book of N rows; compare with reading it and bean-check.

    python -m benchmarks.bench_import [--rows 100000]

Prints two comparisons, each side's time and their ratio (design targets in brackets):

- the importer's own work (reading, mapping, dedupe, rendering and writing the text) against
  merely reading the same file with python-calamine (every sheet into Python values) [≤ 2×];
- the whole import, Beancount's re-check of the staged ledger included, against calamine's
  read plus ``bean-check`` of the resulting ledger [≤ 1.3×];

and the peak memory (RSS) of the import and of ``bean-check`` at N/5 and N rows, to show
that the import holds nothing per row beyond what Beancount itself holds.

Every side runs in a fresh interpreter of its own: the file is generated first (untimed),
then a process reads it with calamine (best of three), a process imports it into a new
village, and ``bean-check`` checks the result (Beancount's pickle cache off, so it checks
and does not also write a cache file). Ratios are of CPU time (user + system): the machine
is shared, and wall time under load measures the other processes too. Wall times are
printed beside them, with the load average.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

COUNTERS = [
    ("经营收入-香菇销售", 1),
    ("经营支出-冷棚租金", -1),
    ("管理费用-办公费", -1),
    ("应付工资", -1),
    ("其他收入-利息收入", 1),
    ("生产(劳务)成本-香菇种植", -1),
]
HEADER = ["日期", "凭证号", "摘要", "对方科目", "借方金额", "贷方金额", "余额"]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """A bank journal of ``rows`` movements over twelve monthly sheets, balances consistent."""
    import openpyxl

    rng = random.Random(seed)
    book = openpyxl.Workbook(write_only=True)
    balance = Decimal("1000000.00")
    per_month = -(-rows // 12)
    written = 0
    for month in range(1, 13):
        sheet = book.create_sheet(f"{month}月")
        sheet.append(["东山村股份经济合作社银行存款日记账"])
        sheet.append(
            ["开户行:青石农商行 账号:6230****0001", None, None, None, None, None, "单位:元"]
        )
        sheet.append(HEADER)
        sheet.append(
            [None, None, "期初余额" if month == 1 else "承前页", None, None, None, float(balance)]
        )
        for i in range(min(per_month, rows - written)):
            day = datetime.date(2024, month, 2 + i * 27 // per_month)
            counter, sign = rng.choice(COUNTERS)
            amount = Decimal(rng.randrange(100, 500000)) / 100
            balance += sign * amount
            inflow, outflow = (float(amount), None) if sign > 0 else (None, float(amount))
            sheet.append(
                [
                    day,
                    f"记-{written + 1:06d}",
                    f"业务{written % 97}",
                    counter,
                    inflow,
                    outflow,
                    float(balance),
                ]
            )
            written += 1
        sheet.append([None, None, "本月合计"])
    book.save(path)


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def read_child(source: Path) -> dict:
    """Read every sheet of the file into Python values with python-calamine, best of three."""
    import python_calamine

    best = None
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        book = python_calamine.CalamineWorkbook.from_path(str(source))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
        took = (time.perf_counter() - wall, time.process_time() - cpu)
        best = took if best is None or took[1] < best[1] else best
    return {"wall": best[0], "cpu": best[1], "rss_kib": peak_kib()}


def import_child(source: Path, folder: Path) -> dict:
    """Import the file into a new village (with its bank account and opening balance)."""
    from importers.run import import_files
    from scripts.village import new_village

    village = new_village(folder / "ledgers", "青石镇/东山村", datetime.date(2024, 1, 1))
    with (village / "accounts.beancount").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n2024-01-01 open Assets:102-银行存款:10201-青石农商行 CNY\n  code: "10201"\n'
            '  name: "青石农商行"\n  account_number: "6230****0001"\n'
            '2024-01-01 open Equity:311-公积公益金:31101-期初 CNY\n  code: "31101"\n'
            '  name: "期初"\n'
        )
    with (village / "journal" / "2024.beancount").open("a", encoding="utf-8") as handle:
        handle.write(
            '\n2024-01-01 * "期初余额" #opening\n'
            "  Assets:102-银行存款:10201-青石农商行  1000000.00 CNY\n"
            "  Equity:311-公积公益金:31101-期初\n"
        )
    wall, cpu = time.perf_counter(), time.process_time()
    report = import_files(village, [source], create_accounts=True)
    return {
        "added": report.added,
        "main": str(village / "main.beancount"),
        "timings": report.timings,
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "rss_kib": peak_kib(),
    }


def measured(command: list[str], **env: str) -> dict:
    """Run a command to success: its wall and CPU time and its peak memory, as ``wait4`` saw."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **env},
    )
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[0]} failed:\n{output}")
    return {
        "wall": time.perf_counter() - started,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_kib": usage.ru_maxrss,
        "output": output,
    }


def child_result(*arguments: str) -> dict:
    """Run this module as a child (a fresh interpreter); the JSON it printed last."""
    run = measured([sys.executable, "-m", "benchmarks.bench_import", "--child", *arguments])
    return json.loads(run["output"].splitlines()[-1])


def run_size(rows: int) -> dict:
    """Generate N rows, then read, import and bean-check them, each in its own process."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        source = Path(tmp) / "journal.xlsx"
        generate(source, rows)
        read = child_result("read", str(source))
        imported = child_result("import", str(source), tmp)
        bean_check = str(Path(sys.executable).with_name("bean-check"))
        check = measured([bean_check, imported["main"]], BEANCOUNT_DISABLE_LOAD_CACHE="1")
    return {"rows": rows, "read": read, "import": imported, "check": check}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, source, *rest = args.child
        result = (
            read_child(Path(source))
            if kind == "read"
            else import_child(Path(source), *map(Path, rest))
        )
        print(json.dumps(result))
        return
    small, large = run_size(max(args.rows // 5, 1)), run_size(args.rows)
    read, imported, check = large["read"], large["import"], large["check"]
    t = imported["timings"]
    own = {k: sum(t[f"{p}{k}"] for p in ("read", "extract", "write")) for k in ("", " cpu")}
    print(
        f"rows {args.rows:,} → {imported['added']:,} entries added · load average "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} · {os.cpu_count()} CPUs"
    )
    print(f"{'':40}{'CPU s':>9}{'wall s':>9}")

    def line(label: str, cpu: float, wall: float) -> None:
        print(f"{label:40}{cpu:9.2f}{wall:9.2f}")

    line("calamine read", read["cpu"], read["wall"])
    line("import, own work", own[" cpu"], own[""])
    for phase, label in (
        ("read", "read and recognise"),
        ("extract", "map, dedupe, render"),
        ("write", "write (staged, moved into place)"),
    ):
        line(f"  {label}", t[f"{phase} cpu"], t[phase])
    print(f"  ratio own / calamine {own[' cpu'] / read['cpu']:13.2f} ×  (target ≤ 2)")
    line("calamine read + bean-check", read["cpu"] + check["cpu"], read["wall"] + check["wall"])
    line("import, whole", imported["cpu"], imported["wall"])
    for phase, label in (("load", "load the ledger before"), ("check", "Beancount re-check")):
        line(f"  {label}", t[f"{phase} cpu"], t[phase])
    ratio = imported["cpu"] / (read["cpu"] + check["cpu"])
    print(f"  ratio whole / (calamine + bean-check) {ratio:5.2f} ×  (target ≤ 1.3)")
    for size in (small, large):
        beyond = size["import"]["rss_kib"] - size["check"]["rss_kib"]
        mib = {k: size[k]["rss_kib"] / 1024 for k in ("import", "check", "read")}
        print(
            f"peak memory at {size['rows']:>7,} rows: import {mib['import']:5.0f} MiB, "
            f"bean-check {mib['check']:5.0f} MiB, calamine read {mib['read']:5.0f} MiB; "
            f"import beyond bean-check {beyond / 1024:5.0f} MiB"
        )


if __name__ == "__main__":
    main()
