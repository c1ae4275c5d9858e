"""Every account follows the naming convention of the 2023 chart.

An account below its root is a chain of ``<code>-<name>`` components: the first is a
first-level account of the 2023 chart under its own root, each sub-account's code extends
its parent's, and the ``code`` metadata of its ``open`` agrees with the name. This ledger
is clean:

    2024-01-01 open Income:501-经营收入:50101-香菇销售
      code: "50101"

and each of these is reported:

    2024-01-01 open Income:501-经营收入:50201-香菇销售     ; 50201 does not extend 501
      code: "50201"
    2024-01-01 open Assets:C101:库存现金                    ; bean-check alone accepts it
    2024-01-01 open Income:501-经营收入:50102-粮油销售
      code: "50103"                                        ; metadata disagrees

Beancount's parser checks only the first component after the root, so an account such as
``Assets:C101:库存现金`` passes ``bean-check`` although other tools then skip it.
"""

from __future__ import annotations

from collections import namedtuple

from beancount.core import account as bc_account
from beancount.core import data

from projects import chart

AccountNameError = namedtuple("AccountNameError", "source message entry")


def problems(account: str, code_meta: object) -> list[str]:
    """What is wrong with one account's name and ``code`` metadata (empty when clean)."""
    if not chart.is_valid(account):
        return [f"科目名称 {account} 不合法: 每一级须以数字或大写字母开头 (invalid account name)"]
    root, *components = bc_account.split(account)
    if not components:
        return [f"科目 {account} 缺少一级科目 (no first-level account)"]
    found: list[str] = []
    parent = ""
    for comp in components:
        code, name = chart.split_component(comp)
        if not code or not name:
            found.append(f"科目 {account} 的 “{comp}” 应写成 编码-名称, 如 50101-香菇销售")
            return found
        if parent and not (code.startswith(parent) and len(code) > len(parent)):
            found.append(f"科目 {account}: 编码 {code} 应以上级编码 {parent} 开头")
        parent = code
    top_code, top_name = chart.split_component(components[0])
    standard = chart.chart("2023").get(top_code)
    if standard is None:
        found.append(f"科目 {account}: {top_code} 不是2023年科目表的一级科目 (unknown code)")
    elif standard.root != root or chart.clean_name(standard.name) != top_name:
        found.append(f"科目 {account}: 一级科目应为 {standard.account} (2023年科目表)")
    if code_meta is None:
        found.append(f'科目 {account} 的 open 缺少 code 元数据, 应为 code: "{parent}"')
    elif str(code_meta) != parent:
        found.append(f"科目 {account} 的 code 元数据 {code_meta} 与名称中的编码 {parent} 不符")
    return found


def check(entries: data.Directives, options_map: dict) -> list[AccountNameError]:
    """Report every ``open`` whose account breaks the naming convention."""
    return [
        AccountNameError(entry.meta, message, entry)
        for entry in entries
        if isinstance(entry, data.Open)
        for message in problems(entry.account, entry.meta.get("code"))
    ]
