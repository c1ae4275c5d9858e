"""未分配收益 changes only by 净收益, 其他转入 and the distribution.

The 收益及收益分配表 adds 年初未分配收益, 净收益 and 其他转入 to 可分配收益 and takes the
distribution off to 年末未分配收益; it must come out at the books' 未分配收益. An entry that
moves 321 本年收益 or 322 收益分配 any other way (a prior-year adjustment credited straight
to 322, an untagged year-end transfer) would break that, so it is an error. In:

    2024-06-30 * "调整以前年度收益"
      Assets:102-银行存款:10201-农商行            500.00 CNY
      Equity:322-收益分配:32202-未分配收益       -500.00 CNY

Out: ``未分配收益变动 500.00 既不是净收益、其他转入, 也不是收益分配`` on that entry. What
counts as 其他转入 (``projects.statements.other_transfer``): 公积公益金弥补亏损, an entry
debiting 311 公积公益金 and crediting 322

    2024-12-31 * "公积公益金弥补亏损"
      Equity:311-公积公益金                      3000.00 CNY
      Equity:322-收益分配:32202-未分配收益      -3000.00 CNY

or an entry the accountant tags ``#other-transfer``; ``#closing`` entries move only
between income, expense, 321 and 322, ``#distribution`` entries only debit 收益分配 by
the shares, ``#opening`` entries are the opening balance.
"""

from __future__ import annotations

from collections import namedtuple

from beancount.core import data

from projects import statements
from projects.text import amount_text

RetainedError = namedtuple("RetainedError", "source message entry")


def check(entries: data.Directives, options_map: dict) -> list:
    """Every transaction that changes 未分配收益 other than the statement explains."""
    errors = []
    for entry in entries:
        if not isinstance(entry, data.Transaction):
            continue
        amount = statements.unexplained(entry)
        if amount:
            errors.append(
                RetainedError(
                    entry.meta,
                    f"未分配收益变动 {amount_text(amount)} 既不是净收益、其他转入, 也不是收益分配 "
                    "(unexplained change of 未分配收益): 公积公益金弥补亏损请借 311 贷 322, "
                    f"其他按规定转入请标 #{statements.OTHER_TRANSFER_TAG}, "
                    "年终结账标 #closing, 分配标 #distribution",
                    entry,
                )
            )
    return errors
