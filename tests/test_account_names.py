"""The naming rule of projects.checks, on ledger text."""

from __future__ import annotations

import textwrap

from beancount import loader


def errors_of(text: str) -> list[str]:
    ledger = 'plugin "projects.checks"\n' + textwrap.dedent(text)
    _, errors, _ = loader.load_string(ledger)
    return [e.message for e in errors]


def test_accounts_following_the_convention_are_clean() -> None:
    assert (
        errors_of("""
        2024-01-01 open Income:501-经营收入
          code: "501"
        2024-01-01 open Income:501-经营收入:50101-香菇销售
          code: "50101"
        2024-01-01 open Assets:401-生产劳务成本:40101-粮油加工
          code: "40101"
        2024-01-01 open Equity:322-收益分配:32201-各项分配:3220101-提取公积公益金
          code: "3220101"
        """)
        == []
    )


def test_sub_account_code_must_extend_its_parent() -> None:
    [message] = errors_of("""
        2024-01-01 open Income:501-经营收入:50201-香菇销售
          code: "50201"
        """)
    assert "50201" in message and "501" in message


def test_component_without_code_is_reported_though_bean_check_accepts_it() -> None:
    [message] = errors_of("""
        2024-01-01 open Assets:C101:库存现金
          code: "101"
        """)
    assert "Assets:C101:库存现金" in message


def test_code_metadata_must_agree_with_the_name() -> None:
    [message] = errors_of("""
        2024-01-01 open Income:501-经营收入:50102-粮油销售
          code: "50103"
        """)
    assert "50103" in message and "50102" in message


def test_missing_code_metadata_is_reported() -> None:
    [message] = errors_of("""
        2024-01-01 open Income:501-经营收入:50102-粮油销售
        """)
    assert 'code: "50102"' in message


def test_first_level_account_must_be_the_standards() -> None:
    messages = errors_of("""
        2024-01-01 open Income:599-杂项收入
          code: "599"
        2024-01-01 open Assets:501-经营收入
          code: "501"
        """)
    assert len(messages) == 2
    assert "599" in messages[0]
    assert "Income:501-经营收入" in messages[1]
