"""A receipt linked to a contract comes under a declared contract, within its term.

    2023-12-20 custom "contract" "C2024-01" "东山家庭农场"
      subject: "R001"
      start: 2024-01-01
      end: 2024-12-31
      rent: 12000.00 CNY
    2025-03-01 * "东山家庭农场" "收到土地发包费" ^C2024-01
      Assets:102-银行存款:10201-农商行   5000.00 CNY
      Income:501-经营收入:50101-发包收入

is reported: the contract ended on 2024-12-31 and its 12,000.00 were all that it asked for,
so 5,000.00 more after its end is outside its term. A receipt before the contract was signed
(its directive's date), and a link to ``^C2024-09`` with no ``custom "contract"
"C2024-09"``, are reported too. Rent in arrears received after the end is clean.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from beancount.core import data

from projects import registers, transaction_facts
from projects.registers import ZERO

ContractReceiptError = registers.RegisterError


def check(entries: data.Directives, options_map: dict) -> list:
    """Links to undeclared contracts; receipts before signing or beyond the term."""
    contracts = registers.read(entries).contracts
    received: dict[str, Decimal] = defaultdict(lambda: ZERO)
    errors = []
    for entry in transaction_facts.transactions(entries):
        for cid in sorted(registers.contract_ids(entry)):
            contract = contracts.get(cid)
            what = f"{entry.date} 的 “{entry.narration}”"
            if contract is None:
                message = (
                    f"{what} 链接到未声明的合同 {cid}: 在 projects.beancount 声明 "
                    f'custom "contract" "{cid}" "对方", 或改正链接'
                )
                errors.append(ContractReceiptError(entry.meta, message, entry))
                continue
            received[cid] += transaction_facts.money_in(entry)
            if entry.date < contract.date:
                message = f"{what} 早于合同 {cid} 的签订日期 {contract.date}"
            elif entry.date > contract.end and received[cid] > contract.total:
                message = (
                    f"{what} 在合同 {cid} 期满 ({contract.end}) 之后, 累计收款 "
                    f"{received[cid]:,.2f} 元超过合同全部租金 {contract.total:,.2f} 元: "
                    "续签的合同要另行声明"
                )
            else:
                continue
            errors.append(ContractReceiptError(entry.meta, message, entry))
    return errors
