"""Benchmark: import a generated cash-book of N rows; compare with reading it and bean-check.

    python -m benchmarks.bench_import --rows 100000

Prints two ratios (design targets in brackets):

- the importer's own work (reading, mapping, dedupe, writing) against merely reading the
  same file with python-calamine [≤ 2×];
- the whole import, Beancount's re-check included, against calamine's read plus
  ``bean-check`` of the resulting ledger [≤ 1.3×];

and the peak memory of the import and of ``bean-check`` at N/5 and N rows, to show the
import holds nothing per row beyond what Beancount itself holds.
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

import openpyxl
import python_calamine

from scripts.village import new_village

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


def calamine_read(path: Path) -> float:
    """Seconds to read every sheet of the file into Python values with python-calamine."""
    started = time.perf_counter()
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    return time.perf_counter() - started


def child(rows: int, folder: Path) -> dict:
    """Generate, import and bean-check in this process tree; timings and peak memory."""
    from importers.run import import_files

    source = folder / "journal.xlsx"
    generate(source, rows)
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
    read = min(calamine_read(source) for _ in range(3))
    started = time.perf_counter()
    report = import_files(village, [source], create_accounts=True)
    whole = time.perf_counter() - started
    own = sum(report.timings[k] for k in ("read", "extract", "write"))
    return {
        "rows": rows,
        "added": report.added,
        "main": str(village / "main.beancount"),
        "calamine_read": read,
        "timings": report.timings,
        "own": own,
        "whole": whole,
        "import_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def measured(command: list[str]) -> tuple[float, int, str]:
    """Run a command: its wall time, its own peak memory (KiB) and its output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{output}")
    return time.perf_counter() - started, usage.ru_maxrss, output


def run_child(rows: int) -> dict:
    """One import in a fresh interpreter, then ``bean-check`` of its ledger, each measured."""
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        module = ["-m", "benchmarks.bench_import", "--child", "--rows", str(rows), "--dir", tmp]
        _, _, output = measured([sys.executable, *module])
        result = json.loads(output.splitlines()[-1])
        bean_check = str(Path(sys.executable).with_name("bean-check"))
        result["bean_check"], result["bean_check_rss_kb"], _ = measured(
            [bean_check, result["main"]]
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.rows, args.dir)))
        return
    small, large = run_child(max(args.rows // 5, 1)), run_child(args.rows)
    t = large["timings"]
    print(f"rows {large['rows']:,} → {large['added']:,} entries added")
    print(f"calamine read          {large['calamine_read']:8.2f} s")
    print(
        f"import, own work       {large['own']:8.2f} s  (read {t['read']:.2f}, map+dedupe+render "
        f"{t['extract']:.2f}, write {t['write']:.2f})"
    )
    print(f"  ratio own / calamine {large['own'] / large['calamine_read']:8.2f} ×   (target ≤ 2)")
    print(f"bean-check             {large['bean_check']:8.2f} s")
    print(
        f"import, whole          {large['whole']:8.2f} s  (+ load {t['load']:.2f}, staged re-check "
        f"{t['check']:.2f})"
    )
    ratio = large["whole"] / (large["calamine_read"] + large["bean_check"])
    print(f"  ratio whole / (calamine + bean-check) {ratio:5.2f} ×   (target ≤ 1.3)")
    for run in (small, large):
        extra = run["import_rss_kb"] - run["bean_check_rss_kb"]
        print(
            f"peak memory at {run['rows']:>7,} rows: "
            f"import {run['import_rss_kb'] / 1024:7.0f} MiB, "
            f"bean-check {run['bean_check_rss_kb'] / 1024:7.0f} MiB, import beyond bean-check "
            f"{extra / 1024:6.0f} MiB ({extra * 1024 / run['rows']:,.0f} B a row)"
        )


if __name__ == "__main__":
    main()
