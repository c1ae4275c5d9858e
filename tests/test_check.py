"""cunzhang check: file:line messages and a summary per village on stdout, exit codes."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DEMO, run_cli


def test_demo_township_is_clean() -> None:
    result = run_cli("check", str(DEMO))
    assert result.exit_code == 0, result.output
    for village in ["东山村", "西河村", "南岭村", "北坡村"]:
        assert f"✓ 青石镇/{village}" in result.stdout


def test_errors_are_file_line_messages_and_exit_1(ledgers: Path) -> None:
    run_cli("village", "new", "青石镇/甲村", "--start", "2024-01-01", ledgers=ledgers)
    run_cli("village", "new", "青石镇/乙村", "--start", "2024-01-01", ledgers=ledgers)
    journal = ledgers / "青石镇" / "乙村" / "journal" / "2024.beancount"
    journal.write_text(
        journal.read_text("utf-8")
        + "2024-02-01 open Income:501-经营收入:50201-香菇销售\n"
        + '  code: "50201"\n'
        + '2024-02-02 * "收入"\n  Assets:102-银行存款  10.00 CNY\n  Income:599-杂项  -10.00 CNY\n',
        "utf-8",
    )
    result = run_cli("check", "青石镇", ledgers=ledgers)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"{journal}:2: ") and "50201" in line for line in lines), lines
    assert any("Income:599-杂项" in line and f"{journal}:4: " in line for line in lines), lines
    assert "✓ 青石镇/甲村" in result.stdout
    assert "✗ 青石镇/乙村: 2 个错误" in result.stdout


def test_one_village_by_township_slash_village(ledgers: Path) -> None:
    run_cli("village", "new", "青石镇/甲村", ledgers=ledgers)
    result = run_cli("check", "青石镇/甲村", ledgers=ledgers)
    assert result.exit_code == 0
    assert "✓ 青石镇/甲村" in result.stdout


def test_path_without_villages_is_refused_in_one_line(ledgers: Path) -> None:
    result = run_cli("check", "无此乡镇", ledgers=ledgers)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: 无此乡镇 ") and "没有村账套" in result.stderr


def test_unknown_command_and_option_are_usage_errors() -> None:
    assert run_cli("no-such-command").exit_code == 2
    assert run_cli("check", "--no-such-option").exit_code == 2
