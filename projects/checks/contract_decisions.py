"""A contract above the county's threshold is decided before it is signed.

The county sets the threshold (all the contract's rent, 元):
``custom "cunzhang-option" "contract_threshold" 50000``. Such a contract needs the decision
steps of a project (提议 商议 审议 决议 决议公开, and 乡镇审核 where the county requires
it, option ``township_review``), each dated on or before the signing (the contract
directive's date)::

    2024-01-01 custom "cunzhang-option" "contract_threshold" 50000
    2024-03-01 custom "contract" "C2024-02" "青石光伏科技有限公司"
      subject: "A004"
      start: 2024-03-01
      end: 2044-02-29
      rent: 8000.00 CNY
    2024-03-05 custom "contract-step" "C2024-02" "决议"

is reported: a 160,000.00 contract whose 决议 came after the signing and whose other steps
are missing.
"""

from __future__ import annotations

from beancount.core import data

from projects import options, registers

ContractDecisionError = registers.RegisterError


def check(entries: data.Directives, options_map: dict) -> list:
    """Contracts above the threshold with a decision step missing or after signing."""
    settings = options.read(entries)
    if settings.contract_threshold is None:
        return []
    steps = registers.contract_steps(settings.township_review)
    errors = []
    for contract in registers.read(entries).contracts.values():
        if contract.total <= settings.contract_threshold:
            continue
        late = [s for s in steps if contract.steps.get(s, contract.date) > contract.date]
        missing = [s for s in steps if s not in contract.steps]
        if not late and not missing:
            continue
        detail = "、".join(
            [f"{s}(未记录)" for s in missing] + [f"{s}({contract.steps[s]})" for s in late]
        )
        errors.append(
            ContractDecisionError(
                contract.meta,
                f"合同 {contract.id} {contract.party} 金额 {contract.total:,.2f} 元, 超过县定 "
                f"{settings.contract_threshold:,.2f} 元, "
                f"须在签订 ({contract.date}) 前完成决策程序: "
                f'{detail}。补记 custom "contract-step" "{contract.id}" "…" 的真实日期',
                registers.declaration(entries, contract.meta),
            )
        )
    return errors
