"""Everyday use (issue #17), run as a user would: the CLI in a temporary folder with its own
ledgers root; the checkout's own ledgers (the demo) are never written.

- where ledgers live: ``--ledgers``, ``$CUNZHANG_LEDGERS``, ``./ledgers``, else the demo,
  read-only; paths relative to the working directory first;
- the books' start: ``village new`` and ``village set-start``, one-line refusals of entries
  dated before it;
- one exit-status and stream convention for every command of the click group;
- one-line refusals of a folder or an empty file given as a spreadsheet;
- progress bars on a terminal only;
- the report cache: keyed on everything that computes a report, pruned.
"""

from __future__ import annotations

import datetime
import os
import pickle
import pty
import subprocess
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from projects import layout, township
from projects.layout import EMBEDDED_LEDGERS, MAIN
from scripts.cli import main
from scripts.village import new_village
from tests.conftest import CUNZHANG
from tests.importkit import snapshot
from tests.test_bookkeeping import TRIAL_2023, trial_balance

EXAMPLES = EMBEDDED_LEDGERS.parent / "examples" / "青石镇" / "东山村"
VOUCHERS = EXAMPLES / "2024-02-凭证列表.xlsx"  # one voucher, dated 2024-02-29
MISSING = "无此镇/无此村"


def demo_files() -> dict[str, str]:
    """The checkout's ledgers, byte for byte (Beancount's load caches aside)."""
    return {
        name: digest
        for name, digest in snapshot(EMBEDDED_LEDGERS).items()
        if not name.endswith(".picklecache")
    }


@pytest.fixture(autouse=True)
def demo_unchanged() -> None:
    """Every test here leaves the installed checkout's ledgers as they were."""
    before = demo_files()
    yield
    assert demo_files() == before


@pytest.fixture
def user_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A user's environment: no ledgers root chosen, a cache of their own."""
    monkeypatch.delenv("CUNZHANG_LEDGERS", raising=False)
    monkeypatch.setenv("CUNZHANG_CACHE", str(tmp_path / "cache"))
    env = dict(os.environ)
    env.pop("CUNZHANG_LEDGERS", None)
    return env


def cunzhang(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The installed ``cunzhang`` (.venv/bin), run in ``cwd``."""
    return subprocess.run(
        [str(CUNZHANG), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def invoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """``cunzhang ARGS`` in-process, in ``tmp_path`` as the working directory."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CUNZHANG_LEDGERS", raising=False)
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


# -- 1. where the ledgers are -----------------------------------------------------------------


@pytest.mark.parametrize("how", ["--ledgers", "CUNZHANG_LEDGERS", "./ledgers"])
def test_a_new_village_lands_in_the_chosen_root(tmp_path: Path, user_env, how: str) -> None:
    root = tmp_path / ("ledgers" if how == "./ledgers" else "我的账套")
    root.mkdir()
    env = {**user_env, "CUNZHANG_LEDGERS": "我的账套"} if how == "CUNZHANG_LEDGERS" else user_env
    args = ["--ledgers", "我的账套"] if how == "--ledgers" else []  # relative to the cwd
    done = cunzhang(
        tmp_path, *args, "village", "new", "测试镇/新村", "--start", "2024-01-01", env=env
    )
    assert done.returncode == 0, done.stderr
    assert (root / "测试镇" / "新村" / MAIN).is_file()
    assert done.stderr == ""


@pytest.mark.parametrize("cwd", ["elsewhere", "checkout"])
def test_writes_never_fall_back_to_the_demo(tmp_path: Path, user_env, cwd: str) -> None:
    """Not from a folder without a root, nor from the checkout, whose ./ledgers is the demo."""
    folder = tmp_path if cwd == "elsewhere" else EMBEDDED_LEDGERS.parent
    done = cunzhang(folder, "village", "new", "青石镇/测试村", env=user_env)
    assert done.returncode == 1 and done.stdout == ""
    line = one_line(done.stderr)
    assert "--ledgers" in line and "CUNZHANG_LEDGERS" in line and "ledgers 文件夹" in line
    assert not (EMBEDDED_LEDGERS / "青石镇" / "测试村").exists()


def test_reads_fall_back_to_the_demo_and_say_so(tmp_path: Path, user_env) -> None:
    implicit = cunzhang(tmp_path, "check", "青石镇/东山村", env=user_env)
    assert implicit.stderr.startswith(f"使用演示账套 {EMBEDDED_LEDGERS} "), implicit.stderr
    assert "青石镇/东山村" in implicit.stdout
    chosen = cunzhang(
        tmp_path, "--ledgers", str(EMBEDDED_LEDGERS), "check", "青石镇/东山村", env=user_env
    )
    assert "使用演示账套" not in chosen.stderr
    assert chosen.stdout == implicit.stdout


def test_relative_paths_name_the_working_directory_first(tmp_path: Path, user_env) -> None:
    """``ledgers/青石镇`` from another folder is refused naming what it looked for, not a
    doubled ``ledgers/ledgers``; a folder of the cwd wins over the root's 乡镇/村."""
    done = cunzhang(tmp_path, "report", "income", "ledgers/青石镇", env=user_env)
    assert done.returncode == 1 and done.stdout == ""
    note, refusal = done.stderr.splitlines()
    assert note.startswith("使用演示账套") and refusal.startswith("Error: ledgers/青石镇 ")
    assert "ledgers/ledgers" not in done.stderr
    new_village(tmp_path, "测试镇/甲村", datetime.date(2024, 1, 1))
    local = cunzhang(tmp_path, "check", "测试镇/甲村", env=user_env)
    assert local.returncode == 0 and local.stderr == "", local.stderr
    assert "✓ 测试镇/甲村" in local.stdout


# -- 2. the books' start ----------------------------------------------------------------------


def test_village_new_opens_on_the_first_day_of_this_year(tmp_path: Path, monkeypatch) -> None:
    result = invoke(tmp_path, monkeypatch, "--ledgers", "L", "village", "new", "测试镇/新村")
    start = datetime.date(datetime.date.today().year, 1, 1)
    assert result.exit_code == 0, result.stderr
    assert f"建账日期 books start {start}" in result.stdout
    assert "cunzhang village set-start 测试镇/新村" in result.stdout
    accounts = (tmp_path / "L" / "测试镇" / "新村" / "accounts.beancount").read_text("utf-8")
    assert f"{start} open Assets:101-库存现金" in accounts


def refused_before_start(result: Result, start: str) -> None:
    """One line naming the earliest date, the start and the command that fixes it."""
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and lines[1].startswith("✗ 未"), result.stderr
    assert lines[0].startswith("测试镇/新村: 最早的日期 "), lines[0]
    assert f"本村建账日期 {start}" in lines[0]
    assert lines[0].endswith("先运行 cunzhang village set-start 测试镇/新村 2024-01-01")


@pytest.mark.parametrize("start", ["2024-03-01", "2024-12-31", "2025-01-01"])
def test_an_import_before_the_start_is_refused_in_one_line(tmp_path, monkeypatch, start) -> None:
    assert invoke(tmp_path, monkeypatch, "--ledgers", "L", "village", "new", "测试镇/新村",
                  "--start", start).exit_code == 0  # fmt: skip
    village = tmp_path / "L" / "测试镇" / "新村"
    before = snapshot(village)
    args = ("--ledgers", "L", "import", "测试镇/新村", str(VOUCHERS), "--create-accounts")
    result = invoke(tmp_path, monkeypatch, *args)
    refused_before_start(result, start)
    assert "最早的日期 2024-02-29 " in result.stderr
    assert snapshot(village) == before
    moved = invoke(tmp_path, monkeypatch, "--ledgers", "L", "village", "set-start", "测试镇/新村",
                   "2024-01-01")  # fmt: skip
    assert moved.exit_code == 0 and f"{start} → 2024-01-01" in moved.stdout, moved.stderr
    assert invoke(tmp_path, monkeypatch, *args).exit_code == 0
    checked = invoke(tmp_path, monkeypatch, "--ledgers", "L", "check", "测试镇/新村")
    assert checked.exit_code == 0, checked.stdout


def test_open_books_before_the_start_is_refused_in_one_line(tmp_path, monkeypatch) -> None:
    args = ("--ledgers", "L", "village", "new", "测试镇/新村", "--start", "2024-03-01")
    assert invoke(tmp_path, monkeypatch, *args).exit_code == 0
    sheet = trial_balance(tmp_path / "余额表.xlsx", TRIAL_2023)
    result = invoke(tmp_path, monkeypatch, "--ledgers", "L", "open-books", "测试镇/新村",
                    str(sheet), "--date", "2024-01-01")  # fmt: skip
    refused_before_start(result, "2024-03-01")


def test_set_start_only_moves_the_start_earlier(tmp_path, monkeypatch) -> None:
    args = ("--ledgers", "L", "village", "new", "测试镇/新村", "--start", "2024-03-01")
    assert invoke(tmp_path, monkeypatch, *args).exit_code == 0
    village = tmp_path / "L" / "测试镇" / "新村"
    before = snapshot(village)
    move = ("--ledgers", "L", "village", "set-start", "测试镇/新村")
    later = invoke(tmp_path, monkeypatch, *move, "2024-04-01")
    assert later.exit_code == 1 and "只能提前" in later.stderr
    same = invoke(tmp_path, monkeypatch, *move, "2024-03-01")
    assert same.exit_code == 0 and "未做改动" in same.stdout
    assert snapshot(village) == before
    earlier = invoke(tmp_path, monkeypatch, *move, "2023-01-01")
    assert earlier.exit_code == 0
    text = (village / "accounts.beancount").read_text("utf-8") + (village / MAIN).read_text()
    assert "2024-03-01" not in text and text.count("2023-01-01 open ") == 42


# -- 5. one convention for every command ------------------------------------------------------


def leaves(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of the group, as the words that name it (``village new``)."""
    found = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += leaves(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@dataclass(frozen=True)
class Case:
    """How a command meets a village that is not there (``None``: it takes no village), and
    whether it writes into the ledgers folder."""

    missing: tuple[str, ...] | None
    writes: bool = False


#: Every command; a new one fails ``test_every_command_is_classified`` until it is added.
CASES = {
    "check": Case(("check", MISSING)),
    "close-year": Case(("close-year", MISSING, "2024"), writes=True),
    "county generate": Case(None),
    "disclose": Case(("disclose", MISSING, "--period", "2024", "--out", "out", "--format", "json")),
    "distribute": Case(("distribute", MISSING, "2024", "plan.xlsx"), writes=True),
    "export": Case(("export", MISSING, "--parquet", "out")),
    "import": Case(("import", MISSING, "x.xlsx"), writes=True),
    "open-books": Case(("open-books", MISSING, "x.xlsx"), writes=True),
    "reconcile": Case(("reconcile", MISSING, "--month", "2024-03", "--balance", "1"), writes=True),
    "report": Case(("report", "income", MISSING)),
    "serve": Case(("serve", MISSING)),
    "user add": Case(None),
    "village new": Case(None, writes=True),
    "village set-start": Case(("village", "set-start", MISSING, "2024-01-01"), writes=True),
}
COMMANDS = [" ".join(words) for words in leaves(main)]


def test_every_command_is_classified() -> None:
    assert sorted(COMMANDS) == sorted(CASES)


@pytest.mark.parametrize("command", COMMANDS)
def test_usage_errors_exit_2_with_the_usage_on_stderr(tmp_path, monkeypatch, command) -> None:
    helped = invoke(tmp_path, monkeypatch, *command.split(), "--help")
    assert helped.exit_code == 0 and helped.stdout.startswith("Usage: ")
    wrong = invoke(tmp_path, monkeypatch, *command.split(), "--no-such-option")
    assert wrong.exit_code == 2 and wrong.stdout == ""
    assert wrong.stderr.startswith("Usage: ") and "No such option" in wrong.stderr


@pytest.mark.parametrize("command", [c for c in COMMANDS if CASES[c].missing])
def test_a_missing_village_is_refused_in_one_line(tmp_path, monkeypatch, command) -> None:
    (tmp_path / "L").mkdir()
    result = invoke(tmp_path, monkeypatch, "--ledgers", "L", *CASES[command].missing)
    assert result.exit_code == 1 and result.stdout == ""
    line = one_line(result.stderr)
    assert line.startswith(f"Error: {MISSING} ") and "没有村账套" in line


@pytest.mark.parametrize("command", [c for c in COMMANDS if CASES[c].writes])
def test_every_write_refuses_the_demo_in_one_line(tmp_path, monkeypatch, command) -> None:
    args = CASES[command].missing or ("village", "new", "青石镇/测试村")
    args = tuple("青石镇/东山村" if a == MISSING else a for a in args)
    result = invoke(tmp_path, monkeypatch, *args)
    assert result.exit_code == 1 and result.stdout == ""
    assert "不写入内置的演示账套" in one_line(result.stderr)


@pytest.mark.parametrize("month", ["2024Q1", "2024-13", "2024", "2024-3", "24-03", "三月"])
def test_a_malformed_month_is_a_usage_error(tmp_path, monkeypatch, month) -> None:
    new_village(tmp_path / "L", "测试镇/新村", datetime.date(2024, 1, 1))
    args = ("--ledgers", "L", "reconcile", "测试镇/新村", "--month", month, "--balance", "1")
    result = invoke(tmp_path, monkeypatch, *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Usage: ")
    assert f"Error: Invalid value for '--month': “{month}” 应写成 2024-03" in result.stderr


def test_check_writes_findings_and_summary_to_stdout(tmp_path, monkeypatch) -> None:
    clean = new_village(tmp_path / "L", "测试镇/甲村", datetime.date(2024, 1, 1))
    broken = new_village(tmp_path / "L", "测试镇/乙村", datetime.date(2024, 1, 1))
    with (broken / "journal" / "2024.beancount").open("a", encoding="utf-8") as handle:
        handle.write('\n2024-02-01 * "x"\n  Assets:101-库存现金  1.00 CNY\n  Assets:999-无\n')
    result = invoke(tmp_path, monkeypatch, "--ledgers", "L", "check", "--jobs", "1")
    assert result.exit_code == 1 and result.stderr == ""
    lines = result.stdout.splitlines()
    # 乙村 sorts before 甲村: its findings, its summary, then 甲村's summary
    assert lines[-2] == f"✗ {layout.village_label(broken)}: {len(lines) - 2} 个错误 errors"
    assert lines[-1].startswith(f"✓ {layout.village_label(clean)}: 无错误")
    assert all("2024.beancount:" in line for line in lines[:-2])


# -- 7. small things --------------------------------------------------------------------------


def test_ledgers_help_names_the_environment_variable(tmp_path, monkeypatch) -> None:
    assert "CUNZHANG_LEDGERS" in invoke(tmp_path, monkeypatch, "--help").stdout


@pytest.mark.parametrize(
    "command",
    [
        ("import", "测试镇/新村", "{file}"),
        ("open-books", "测试镇/新村", "{file}"),
        ("reconcile", "测试镇/新村", "{file}", "--month", "2024-03"),
        ("distribute", "测试镇/新村", "2024", "{file}"),
    ],
)
@pytest.mark.parametrize(
    ("kind", "says"),
    [("folder", "是文件夹, 不是表格文件"), ("empty", "空文件 (empty file)")],
)
def test_a_folder_or_an_empty_file_is_named_as_such(tmp_path, monkeypatch, command, kind, says):
    new_village(tmp_path / "L", "测试镇/新村", datetime.date(2024, 1, 1))
    file = tmp_path / "三月.xlsx"
    if kind == "folder":
        file.mkdir()
    else:
        file.write_bytes(b"")
    args = [a.format(file=file) for a in command]
    result = invoke(tmp_path, monkeypatch, "--ledgers", "L", *args)
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert says in first and "文件不存在" not in first and "CSV 文本" not in first


# -- 8. progress ------------------------------------------------------------------------------

PROGRESS = {
    "check": ("check", "测试镇"),
    "report": ("report", "income", "测试镇"),
    "report disclosures": ("report", "disclosures", "测试镇"),
    "export": ("export", "测试镇", "--parquet", "out"),
    "disclose": ("disclose", "测试镇", "--period", "2024", "--out", "公开", "--format", "json"),
    "county generate": ("county", "generate", "县", "--villages", "2", "--years", "1"),
}


def with_terminal(cwd: Path, args: tuple[str, ...], env: dict[str, str]) -> tuple[int, str, str]:
    """Run ``cunzhang`` with stderr on a pseudo-terminal; its status, stdout and stderr."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(CUNZHANG), *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=follower
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.stdout.read().decode()
    process.wait(timeout=300)
    os.close(leader)
    return process.returncode, stdout, seen.decode(errors="replace")


@pytest.mark.parametrize("command", list(PROGRESS))
def test_progress_on_a_terminal_only(tmp_path: Path, user_env, command: str) -> None:
    for name in ("甲村", "乙村"):
        new_village(tmp_path / "L", f"测试镇/{name}", datetime.date(2024, 1, 1))
    args = ("--ledgers", "L", *PROGRESS[command])
    status, _, terminal = with_terminal(tmp_path, args, user_env)
    assert status == 0, terminal
    assert "2/2" in terminal, terminal  # villages done
    for folder in ("out", "公开", "县"):
        subprocess.run(["rm", "-rf", str(tmp_path / folder)], check=True)
    piped = cunzhang(tmp_path, *args, env=user_env)
    # new villages have no rows to report: said in one line, no progress bar
    said = "没有记录 (no records)\n" if command.startswith("report") else ""
    assert piped.returncode == 0 and piped.stderr == said, piped.stderr


@pytest.mark.parametrize("count", [2, 3])
def test_import_shows_files_done_on_a_terminal_only(tmp_path: Path, user_env, count: int) -> None:
    """Each file extracted moves the bar (``count/count`` at the end); piped, stderr is empty."""
    files = [str(p) for p in sorted(EXAMPLES.glob("2024-0*-凭证列表.xlsx"))[:count]]
    for name in ("甲村", "乙村"):
        new_village(tmp_path / "L", f"测试镇/{name}", datetime.date(2024, 1, 1))
    args = ("--ledgers", "L", "import", "测试镇/甲村", *files, "--create-accounts")
    status, stdout, terminal = with_terminal(tmp_path, args, user_env)
    assert status == 0 and "新增 (added)" in stdout, terminal
    assert f"{count}/{count}" in terminal and "导入 importing" in terminal, terminal
    piped = cunzhang(tmp_path, *args[:3], "测试镇/乙村", *args[4:], env=user_env)
    assert piped.returncode == 0 and piped.stderr == "", piped.stderr


# -- 9. the report cache ----------------------------------------------------------------------


def cached(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.pickle"))


def test_the_cache_keeps_one_entry_per_village_report_and_year(tmp_path, monkeypatch) -> None:
    """A changed village replaces its entry instead of adding one per change."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("CUNZHANG_CACHE", str(cache))
    village = new_village(tmp_path / "L", "测试镇/甲村", datetime.date(2024, 1, 1))
    args = ("--ledgers", "L", "report", "income", "测试镇", "--jobs", "1")
    for year, change in enumerate(range(4), start=2024):
        with (village / "journal" / "2024.beancount").open("a", encoding="utf-8") as handle:
            handle.write(f"\n; 改动 change {change}\n")
        for wanted in ("--year", str(year)), ():
            assert invoke(tmp_path, monkeypatch, *args, *wanted).exit_code == 0
    names = [path.name.split(".")[:2] for path in cached(cache)]
    assert sorted(names) == [["income", str(y)] for y in range(2024, 2028)] + [["income", "all"]]
    assert len({path.parent for path in cached(cache)}) == 1


@pytest.mark.parametrize("upgraded", [*township.DISTRIBUTIONS, "projects", "importers"])
def test_the_key_follows_everything_that_computes_a_report(tmp_path, monkeypatch, upgraded):
    for package in ("projects", "importers"):
        (tmp_path / package / "data").mkdir(parents=True)
        (tmp_path / package / "data" / "rules.csv").write_text("a", "utf-8")
    monkeypatch.setattr(township, "ROOT", tmp_path)
    township.code_digest.cache_clear()
    before = township.code_digest()
    if upgraded in township.DISTRIBUTIONS:
        real = township.importlib.metadata.version
        monkeypatch.setattr(
            township.importlib.metadata,
            "version",
            lambda name: real(name) + (".post1" if name == upgraded else ""),
        )
    else:
        (tmp_path / upgraded / "data" / "rules.csv").write_text("b", "utf-8")
    township.code_digest.cache_clear()
    try:
        assert township.code_digest() != before
    finally:
        township.code_digest.cache_clear()


def test_the_cache_is_cut_to_its_limit_least_recently_used_first(tmp_path: Path) -> None:
    old = tmp_path / ("ab" * 32 + ".pickle")  # the layout before: never hit again
    old.write_bytes(pickle.dumps([]))
    other = tmp_path / "notes.pickle"  # not the cache's: left alone
    other.write_bytes(b"x")
    sizes = {}
    for age in range(20):
        path = tmp_path / f"v{age % 5}" / f"income.{2000 + age}.{age:040x}.pickle"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(os.urandom(1000 + age))
        os.utime(path, ns=(10**9 * (100 - age), 10**9 * (100 - age)))  # older as age grows
        sizes[path] = 1000 + age
    township.prune(tmp_path, 8000)
    assert not old.exists() and other.exists()
    # the newest seven (1000 + … + 1006 = 7021 bytes) fit in 8000; with the eighth they would not
    assert set(cached(tmp_path)) - {other} == {p for p, size in sizes.items() if size < 1007}
