"""Killed at any moment, an import leaves each village as it was or as it is after the import.

An import writes several files in one or more folders (journal, ``accounts.beancount``,
``projects.beancount``, archived copies, a township's register) as one
:class:`projects.files.Commit`. Each test runs the import in a forked child process and
kills it: at every file-system step of the commit in turn (``os.replace``, ``os.rename``,
``shutil.rmtree``: every boundary), and with ``SIGKILL`` at random times over a large
import. Then recovery runs (``importers.writing.locked``, what every import and write does
first) and every file of the folders must be byte for byte the one before or the one after.
"""

from __future__ import annotations

import datetime
import os
import random
import shutil
import signal
import time
import traceback
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from importers import writing
from importers.run import import_files
from projects.files import STAGING, unfinished
from tests.conftest import run_cli
from tests.importkit import journal, snapshot, village, workbook

#: The exit status of a child that crashed on purpose.
CRASHED = 86
COUNTERS = ["经营收入-香菇销售", "经营收入-茶叶销售", "管理费用-办公费", "管理费用-差旅费"]
REGISTER_HEADER = ["序号", "村", "第一书记", "派出单位", "资金名称", "协调金额", "实际到账金额"]
REGISTER_HEADER += ["到账日期"]


def journal_rows(count: int, seed: int = 7) -> list[list]:
    """``count`` journal rows over 2024 (receipts and payments to new sub-accounts)."""
    rng = random.Random(seed)
    balance, rows = Decimal(1000), []
    start = datetime.date(2024, 1, 2)
    for number in range(count):
        day = start + datetime.timedelta(days=number * 360 // count)
        counter = rng.choice(COUNTERS)
        amount = Decimal(rng.randint(100, 90000)) / 100
        if counter.startswith("管理费用") and amount <= balance:
            balance -= amount
            money = [None, float(amount)]
        else:
            counter = COUNTERS[number % 2]  # a receipt
            balance += amount
            money = [float(amount), None]
        rows.append([day.isoformat(), f"记-{number + 1}", "往来", counter, *money, float(balance)])
    return rows


def folder_state(folders: list[Path]) -> list[dict[str, str]]:
    return [snapshot(folder) for folder in folders]


def in_child(target: Callable[[], object], crash_at: int | None = None) -> tuple[int, int]:
    """Run ``target`` in a forked child; with ``crash_at``, the child exits at once
    (``os._exit``, as a kill would) just before its ``crash_at``-th file-system step
    (1-based). Returns the child's exit status and the number of steps it made."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.close(read)
            steps = 0

            def stepping(function: Callable) -> Callable:
                def step(*args, **kwargs):
                    nonlocal steps
                    steps += 1
                    if steps == crash_at:
                        os._exit(CRASHED)
                    return function(*args, **kwargs)

                return step

            os.replace, os.rename = stepping(os.replace), stepping(os.rename)
            shutil.rmtree = stepping(shutil.rmtree)
            target()
            os.write(write, str(steps).encode())
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read) as handle:
        steps = handle.read()
    return os.waitstatus_to_exitcode(status), int(steps or 0)


def recover(folders: list[Path]) -> None:
    """What every import and write does first, under the locks."""
    with writing.locked(folders):
        pass


class Scenario:
    """Folders restored to the same state before each run, and the import to run."""

    def __init__(self, folders: list[Path], target: Callable[[], object], pristine: Path):
        self.folders, self.target, self.pristine = folders, target, pristine
        self.root = folders[0].parent
        shutil.copytree(self.root, pristine)
        self.before = folder_state(folders)
        status, self.steps = in_child(target)
        assert status == 0
        self.after = folder_state(folders)
        assert self.after != self.before

    def restore(self) -> None:
        shutil.rmtree(self.root)
        shutil.copytree(self.pristine, self.root)
        assert folder_state(self.folders) == self.before

    def outcome(self) -> str:
        """``before`` or ``after``; fails on anything in between."""
        state = folder_state(self.folders)
        assert state in (self.before, self.after), "half-written"
        return "before" if state == self.before else "after"


def visible(state: list[dict[str, str]]) -> list[dict[str, str]]:
    """A state without the staging folders."""
    return [
        {k: v for k, v in s.items() if not any(p.startswith(STAGING) for p in Path(k).parts)}
        for s in state
    ]


def crash_at_every_step(scenario: Scenario, ledgers: Path) -> list[str]:
    """Crash before each step in turn; each time, check says whether the folders are
    half-written, and recovery leaves them before or after. The outcomes, step by step."""
    outcomes, reported = [], False
    for step in range(1, scenario.steps + 1):
        scenario.restore()
        status, _ = in_child(scenario.target, crash_at=step)
        assert status == CRASHED, step
        half = visible(folder_state(scenario.folders)) not in (
            visible(scenario.before),
            visible(scenario.after),
        )
        pending = [s for folder in scenario.folders for s in unfinished(folder)]
        if half:
            assert pending, f"step {step}: half-written, but nothing is unfinished"
        if half and not reported:  # cunzhang check must not call it clean
            result = run_cli("check", str(scenario.root), ledgers=ledgers)
            assert result.exit_code == 1 and "导入写到一半中断" in result.stdout
            reported = True
        recover(scenario.folders)
        outcomes.append(scenario.outcome())
        recover(scenario.folders)  # idempotent
        assert scenario.outcome() == outcomes[-1]
    assert outcomes[0] == "before" and outcomes[-1] == "after"
    assert outcomes == sorted(outcomes, key=["before", "after"].index)  # one commit point
    return outcomes


def test_a_crash_at_any_step_of_an_import_leaves_before_or_after(ledgers, tmp_path):
    folder = village(ledgers)
    path = journal(tmp_path / "j.xlsx", journal_rows(20))
    scenario = Scenario(
        [folder],
        lambda: import_files(folder, [path], create_accounts=True),
        tmp_path / "pristine",
    )
    (before,), (after,) = scenario.before, scenario.after
    changed = {name for name in after if after[name] != before.get(name)}
    assert {"accounts.beancount", "journal/2024.beancount"} <= changed
    assert any(name.startswith("documents/") and after[name] != "/" for name in changed)
    outcomes = crash_at_every_step(scenario, ledgers)
    assert "before" in outcomes and "after" in outcomes


def register_file(path: Path, villages: list[str]) -> Path:
    rows = [["青石镇驻村第一书记帮扶资金台账(2024年)"], ["单位:元"], REGISTER_HEADER]
    for number, name in enumerate(villages * 2, start=1):
        amount = 10000 * number
        rows.append([number, name, "王", "市某局", "帮扶资金", amount, amount, "2024-03-01"])
    return workbook(path, {"2024年": rows})


def test_a_crash_at_any_step_of_a_township_register_import(ledgers, tmp_path):
    """A register into three villages and the township: one commit over four folders."""
    names = ["东山村", "西河村", "南岭村"]
    villages = [village(ledgers, f"青石镇/{name}") for name in names]
    township = villages[0].parent
    path = register_file(tmp_path / "台账.xlsx", names)
    scenario = Scenario(
        [township, *villages], lambda: import_files(township, [path]), tmp_path / "pristine"
    )
    crash_at_every_step(scenario, ledgers)


def test_killed_at_random_times_during_a_large_import(ledgers, tmp_path):
    """``kill -9`` at 30 random times (seeded, uniform over an uncrashed import's time)."""
    folder = village(ledgers)
    path = journal(tmp_path / "large.xlsx", journal_rows(6000))
    scenario = Scenario(
        [folder],
        lambda: import_files(folder, [path], create_accounts=True),
        tmp_path / "pristine",
    )
    scenario.restore()
    started = time.perf_counter()
    assert in_child(scenario.target)[0] == 0
    duration = time.perf_counter() - started
    rng = random.Random(20240611)
    outcomes = []
    for _ in range(30):
        scenario.restore()
        delay = rng.uniform(0, duration)
        pid = os.fork()
        if pid == 0:
            try:
                scenario.target()
            finally:
                os._exit(0)
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        recover([folder])
        outcomes.append(scenario.outcome())
    print(f"import {duration:.2f}s; after 30 kills: {outcomes.count('before')} before")
    assert "before" in outcomes
