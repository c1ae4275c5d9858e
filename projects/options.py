"""A ledger's own settings, as ``custom "cunzhang-option" "name" value`` directives.

    2024-01-01 custom "cunzhang-option" "township_review" TRUE
    2024-01-01 custom "cunzhang-option" "budget_tolerance" 0.05
    2024-01-01 custom "cunzhang-option" "claim_window_days" 30
    2024-01-01 custom "cunzhang-option" "income_bands" "50000 100000"
    2024-01-01 custom "cunzhang-option" "income_basis" "经营收益"
    2024-01-01 custom "cunzhang-option" "organisation" "东山村股份经济合作社"
    2024-01-01 custom "cunzhang-option" "agency" "青石镇农经站"
    2024-01-01 custom "cunzhang-option" "publish_url" "https://example.gov.cn/财务公开"
    2024-01-01 custom "cunzhang-option" "disclosure_deadline_days" 15
    2024-01-01 custom "cunzhang-option" "monthly_disclosure_threshold" 30
    2024-01-01 custom "cunzhang-option" "cadre_pay_accounts" "干部报酬 误工补贴"
    2024-01-01 custom "cunzhang-option" "aid_accounts" "504"
    2024-01-01 custom "cunzhang-option" "capitalise_within_days" 90
    2024-01-01 custom "cunzhang-option" "unidentified_receipts" "应付款-暂收款"
    2024-01-01 custom "cunzhang-option" "unidentified_payments" "应收款-暂付款"
    2024-01-01 custom "cunzhang-option" "contract_threshold" 50000

A county that requires the township review (一审) before execution says so with
``township_review``; the others have defaults below. ``income_basis`` is the amount the
income bands are drawn on: 集体经营性收入 (501 + 502, the default) or 经营收益 (an unknown
value is refused when the ledger is read). ``organisation`` and ``agency`` name
the 公开单位 and 编制单位 of the disclosures (unset: the village's 集体经济组织 and the
township's 农村经营管理站). ``publish_url`` is where the county posts the disclosures
(``<publish_url>/<township>/<village>/<file>``; the sheets carry a QR code to it);
``disclosure_deadline_days`` how many days after a period's end it must be posted;
``monthly_disclosure_threshold`` the number of transactions in a quarter above which the
village discloses monthly (unset: quarterly); ``cadre_pay_accounts`` the detail-account
names of 村组干部报酬. ``aid_accounts`` adds first-level codes to the accounts whose
credits count as outside money (:mod:`projects.funds`); ``capitalise_within_days`` is how
long after 实施结果公开 a project's 在建工程 and 241 may stay open
(:mod:`projects.checks.completion`). ``unidentified_receipts`` and ``unidentified_payments`` name
the accounts where a bank statement's unclassified receipts and payments wait (unset:
应付款-待查明款项 and 应收款-待查明款项, :data:`importers.accounts.UNIDENTIFIED`).
``contract_threshold`` is the contract value (all its rent, 元) above which a contract
needs the decision steps before signing (unset: none does; ``projects.registers``).
When an option is set twice, the later setting counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data


@dataclass(frozen=True)
class LedgerOptions:
    township_review: bool = False
    budget_tolerance: Decimal = Decimal("0")
    claim_window_days: int = 30
    income_bands: tuple[Decimal, Decimal] = (Decimal("50000"), Decimal("100000"))
    income_basis: str = "集体经营性收入"
    organisation: str | None = None
    agency: str | None = None
    publish_url: str | None = None
    disclosure_deadline_days: int = 15
    monthly_disclosure_threshold: int | None = None
    cadre_pay_accounts: tuple[str, ...] = ("干部报酬", "管理人员工资", "误工补贴")
    aid_accounts: tuple[str, ...] = ()
    capitalise_within_days: int = 90
    unidentified_receipts: str | None = None
    unidentified_payments: str | None = None
    contract_threshold: Decimal | None = None


def read(entries: data.Directives) -> LedgerOptions:
    """The options a ledger sets, the defaults for the others."""
    values: dict[str, object] = {}
    for entry in entries:
        if isinstance(entry, data.Custom) and entry.type == "cunzhang-option" and entry.values:
            name = entry.values[0].value
            value = entry.values[1].value if len(entry.values) > 1 else True
            values[name] = value
    options = LedgerOptions()
    return LedgerOptions(
        township_review=bool(values.get("township_review", options.township_review)),
        budget_tolerance=Decimal(str(values.get("budget_tolerance", options.budget_tolerance))),
        claim_window_days=int(values.get("claim_window_days", options.claim_window_days)),
        income_bands=parse_bands(values.get("income_bands")) or options.income_bands,
        income_basis=parse_basis(values.get("income_basis", options.income_basis)),
        organisation=as_text(values.get("organisation")),
        agency=as_text(values.get("agency")),
        publish_url=as_text(values.get("publish_url")),
        disclosure_deadline_days=int(
            values.get("disclosure_deadline_days", options.disclosure_deadline_days)
        ),
        monthly_disclosure_threshold=(
            int(values["monthly_disclosure_threshold"])
            if "monthly_disclosure_threshold" in values
            else None
        ),
        cadre_pay_accounts=tuple(str(values.get("cadre_pay_accounts", "")).split())
        or options.cadre_pay_accounts,
        aid_accounts=tuple(str(values.get("aid_accounts", "")).replace(",", " ").split()),
        capitalise_within_days=int(
            values.get("capitalise_within_days", options.capitalise_within_days)
        ),
        unidentified_receipts=as_text(values.get("unidentified_receipts")),
        unidentified_payments=as_text(values.get("unidentified_payments")),
        contract_threshold=(
            Decimal(str(values["contract_threshold"])) if "contract_threshold" in values else None
        ),
    )


def as_text(value: object) -> str | None:
    """An option's text; ``None`` when it is not text."""
    return value if isinstance(value, str) else None


def parse_bands(text: object) -> tuple[Decimal, Decimal] | None:
    """``"50000 100000"`` → the two thresholds of the income bands, in 元."""
    if not isinstance(text, str):
        return None
    low, high = (Decimal(part) for part in text.replace(",", " ").split())
    return low, high


#: The values ``income_basis`` may take (labels in :data:`projects.reports.INCOME_BASES`).
INCOME_BASES = ("集体经营性收入", "经营收益")


def parse_basis(value: object) -> str:
    """``income_basis``: 集体经营性收入 or 经营收益; anything else is an error."""
    if value not in INCOME_BASES:
        raise ValueError(f"income_basis “{value}” 应为 {' 或 '.join(INCOME_BASES)}")
    return str(value)
