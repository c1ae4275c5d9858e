"""A small hand-written township for the Fava tests: two villages, projects, funds, income
and an imported receipt whose archived spreadsheet sits under ``documents/``.

测试镇/甲村 has one project (P2024-01, budget 600,000: 300,000 from 市金融发展局 and
150,000 衔接资金 received, 120,000 and 80,000 spent, 实施结果公开 missing, 12,000 of income
in 2025), one unverified landing claim of 100,000, and income in 2024 (38,600 operating,
20,000 subsidy) and 2025 (90,000 + 12,000 operating). 测试镇/乙村 has a little income only.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from openpyxl import Workbook

from scripts.village import new_village
from tests.ledgertext import opens

TOWNSHIP = "测试镇"
BANK = "Assets:102-银行存款:10201-青石农商行"
SHEET_FOLDER = Path("documents/Assets/102-银行存款/10201-青石农商行")
SHEET_NAME = "2024-01-31.甲村银行日记账.xlsx"

DECLARATIONS = """
2023-09-01 custom "secretary" "王立新" "市金融发展局"
  until: 2025-08-31
2024-01-05 custom "project" "P2024-01" "香菇基地扩建"
  kind: "产业项目"
  budget: 600000.00 CNY
  secretary: "王立新"
2024-01-05 custom "project-funding" "P2024-01" "派出单位帮扶" 300000.00 CNY
  funder: "市金融发展局"
2024-01-05 custom "project-funding" "P2024-01" "衔接资金" 150000.00 CNY
  funder: "青石镇财政所"
2024-01-08 custom "project-step" "P2024-01" "提议"
2024-01-12 custom "project-step" "P2024-01" "商议"
2024-01-15 custom "project-step" "P2024-01" "审议"
2024-01-18 custom "project-step" "P2024-01" "决议"
2024-01-25 custom "project-step" "P2024-01" "决议公开"
2024-01-10 custom "fund-pledge" "市金融发展局" "帮扶资金" 300000.00 CNY
  secretary: "王立新"
  project: "P2024-01"
2024-01-20 custom "fund-landed" "市金融发展局" "帮扶资金" 300000.00 CNY
  secretary: "王立新"
2024-06-01 custom "fund-landed" "市金融发展局" "产业扶持资金" 100000.00 CNY
  secretary: "王立新"
"""

JOURNAL_2024 = f"""
2024-01-05 * "青石商贸有限公司" "收到香菇销售款"
  {BANK}                       38600.00 CNY
  Income:501-经营收入:50101-香菇销售  -38600.00 CNY

2024-01-20 * "市金融发展局" "收到市金融发展局帮扶资金" ^P2024-01
  funder: "市金融发展局"
  document: "../{SHEET_FOLDER / SHEET_NAME}"
  sheet: "银行日记账"
  row: 7
  {BANK}                       300000.00 CNY
  Liabilities:241-专项应付款:24101-香菇基地扩建  -300000.00 CNY

2024-02-18 * "青石建筑工程队" "支付冷棚改造工程进度款" ^P2024-01
  Assets:153-在建工程:15301-冷棚改造   120000.00 CNY
  {BANK}                      -120000.00 CNY

2024-03-20 * "青石镇财政所" "收到衔接资金" ^P2024-01
  funder: "青石镇财政所"
  {BANK}                       150000.00 CNY
  Liabilities:241-专项应付款:24101-香菇基地扩建  -150000.00 CNY

2024-04-10 * "县食用菌菌种场" "购买菌棒" ^P2024-01
  Expenses:511-经营支出:51101-香菇种植  80000.00 CNY
  {BANK}                      -80000.00 CNY

2024-06-30 * "县农业农村局" "收到村级组织运转补助"
  {BANK}                       20000.00 CNY
  Income:503-补助收入:50301-运转补助  -20000.00 CNY
"""

JOURNAL_2025 = f"""
2025-03-05 * "青石电商服务站" "收到香菇销售款"
  {BANK}                       90000.00 CNY
  Income:501-经营收入:50101-香菇销售  -90000.00 CNY

2025-06-30 * "县鲜菇批发市场" "香菇基地首批收益" ^P2024-01
  {BANK}                       12000.00 CNY
  Income:501-经营收入:50101-香菇销售  -12000.00 CNY
"""

SMALL_2024 = f"""
2024-05-01 * "本村农户" "收到鱼塘承包费"
  {BANK}                       30000.00 CNY
  Income:501-经营收入:50102-发包收入  -30000.00 CNY
"""


def write_sheet(path: Path) -> None:
    """The archived bank journal the 2024-01-20 receipt was imported from (row 7)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "银行日记账"
    sheet.append(["甲村股份经济合作社 银行日记账 2024年1月"])
    for _ in range(4):
        sheet.append([])
    sheet.append(["日期", "摘要", "收入", "支出", "余额"])
    sheet.append(["2024-01-20", "收到市金融发展局帮扶资金", 300000, None, 338600])
    book.save(path)


def add_village(ledgers: Path, name: str, journals: dict[int, str], declarations: str) -> Path:
    """A village made by ``village new``, with the given declarations and journals."""
    folder = new_village(ledgers, f"{TOWNSHIP}/{name}", datetime.date(2024, 1, 1))
    text = declarations + "".join(journals.values())
    with (folder / "accounts.beancount").open("a", encoding="utf-8") as accounts:
        accounts.write("\n" + opens(text, "2024-01-01", first_level=False))
    with (folder / "projects.beancount").open("a", encoding="utf-8") as projects:
        projects.write(declarations)
    for year, journal in journals.items():
        with (folder / "journal" / f"{year}.beancount").open("a", encoding="utf-8") as out:
            out.write(journal)
    return folder


def write_township(ledgers: Path) -> Path:
    """Write 测试镇 (甲村, 乙村) under ``ledgers`` and return the township folder."""
    village = add_village(ledgers, "甲村", {2024: JOURNAL_2024, 2025: JOURNAL_2025}, DECLARATIONS)
    write_sheet(village / SHEET_FOLDER / SHEET_NAME)
    add_village(ledgers, "乙村", {2024: SMALL_2024}, "")
    return ledgers / TOWNSHIP
