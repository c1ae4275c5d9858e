"""Rendering a computed disclosure (财务公开): the notice-board HTML, the printable XLSX, JSON.

``projects.disclosure.compute`` gives the figures; these functions only lay them out, so
``cunzhang disclose`` and the Fava page 财务公开 show the same sheet. The HTML comes from
``projects/templates`` (print-ready A4, readable on a phone); the XLSX is one A4 sheet with
formula-like text neutralised.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import jinja2
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from projects import disclosure
from projects.numerals import capital
from projects.text import amount_text, formula_like

#: The watermark of a sheet published with unresolved problems (``--force``).
WATERMARK = "未审核"


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of ``projects/templates``, escaping HTML."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("projects", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = amount_text
    env.filters["capital"] = capital
    return env


def verification(d: disclosure.Disclosure) -> dict:
    """What ``--verify`` needs from a posted sheet: whose books, which period, the code."""
    return {"township": d.township, "village": d.village, "period": d.period.code, "code": d.code}


def render_html(d: disclosure.Disclosure) -> str:
    """The notice-board page; the 「未审核」 watermark when the period has blockers."""
    template = environment().get_template("disclosure.html")
    return template.render(d=d, reviewed=not d.blockers, verification=verification(d))


def render_json(d: disclosure.Disclosure) -> str:
    """The disclosure as a JSON document: money as exact strings."""
    return json.dumps({**d.to_json(), "reviewed": not d.blockers}, ensure_ascii=False, indent=2)


THIN = Side(style="thin", color="444444")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
MONEY_FORMAT = "#,##0.00"
WIDTHS = (12, 28, 16, 16, 15, 15, 15, 28)


def put(ws: Worksheet, row: int, column: int, value: object, bold: bool = False) -> None:
    """Write one bordered cell; text that starts like a formula stays text (quote prefix)."""
    cell = ws.cell(row=row, column=column, value=value)
    cell.border = BORDER
    cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
    if bold:
        cell.font = Font(bold=True)
    if isinstance(value, Decimal):
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, str) and formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True


Rows = list[tuple[bool, list]]  # (bold?, cells)

FUND_HEADERS = ["出资方", "资金来源", "本期到位", "累计到位", "已使用", "用于"]
PROJECT_HEADERS = ["项目", "类别", "预算", "累计到位", "累计支出", "已形成资产", "进度", "决策程序"]


def _item_rows(groups: list[disclosure.Group], total: Decimal, what: str) -> Rows:
    rows: Rows = []
    for g in groups:
        rows.append((True, [f"{g.code} {g.name}"]))
        rows += [(False, [i.date, i.narration, i.payee, i.account, i.amount]) for i in g.items]
        rows.append((True, [f"{g.name} 小计", "", "", "", g.subtotal]))
    rows.append((True, [f"本期{what}合计", f"大写: {capital(total)}", "", "", total]))
    return rows


def _balance_rows(lines: list[disclosure.Line]) -> Rows:
    rows: Rows = []
    for line in lines:
        rows.append((True, [line.label, "", line.amount]))
        rows += [(False, ["", name, value]) for name, value in line.details]
    return rows


def _fund_row(f: dict) -> list:
    money = [f[k] for k in ("received", "received_to_date", "used")]
    return [f["funder"], "、".join(f["sources"]), *money, "; ".join(f["for"])]


def _fund_rows(d: disclosure.Disclosure) -> Rows:
    totals = [d.funds_total[k] for k in ("received", "received_to_date", "used")]
    return [(False, _fund_row(f)) for f in d.funds] + [(True, ["合计", "", *totals])]


def _project_row(p: dict) -> list:
    steps = [f"{step} {day}" for step, day in p["steps"]]
    if p["steps_missing"]:
        steps.append(f"未完成: {'、'.join(p['steps_missing'])}")
    progress = "—" if p["progress"] is None else f"{p['progress']}%"
    money = [p[k] for k in ("budget", "received", "spent", "capitalised")]
    return [f"{p['project']} {p['name']}", p["kind"], *money, progress, "\n".join(steps)]


def xlsx_sections(d: disclosure.Disclosure) -> list[tuple[str, list[str], Rows]]:
    """The sheet's sections (title, headers, rows) in the order the HTML shows them."""
    assets_total = (True, ["资产合计", f"大写: {capital(d.assets_total)}", d.assets_total])
    sections = [
        (
            "一、各项收入",
            ["日期", "摘要", "付款方", "明细科目", "金额"],
            _item_rows(d.income, d.income_total, "收入"),
        ),
        (
            "二、各项支出",
            ["日期", "摘要", "收款方", "明细科目", "金额"],
            _item_rows(d.expenses, d.expense_total, "支出"),
        ),
        (
            "三、各项资产 (期末余额)",
            ["项目", "明细", "期末余额"],
            [*_balance_rows(d.assets), assets_total],
        ),
        ("四、债权债务 (期末余额)", ["项目", "明细", "期末余额"], _balance_rows(d.debts)),
        ("五、资金来源及使用", FUND_HEADERS, _fund_rows(d)),
        ("六、项目 (截至期末)", PROJECT_HEADERS, [(False, _project_row(p)) for p in d.projects]),
    ]
    statements = (
        ("七、收益及收益分配表", ["项目", "本年数"], d.income_statement),
        ("八、资产负债表", ["项目", "年初数", "年末数"], d.balance_sheet),
    )
    for title, headers, lines in statements:
        if lines:
            rows = [(line.total, [line.label, *line.amounts]) for line in lines]
            sections.append((title, headers, rows))
    return sections


def write_xlsx(d: disclosure.Disclosure, path: Path) -> None:
    """The disclosure as one A4 sheet, sections one under another, ready to print."""
    wb = Workbook()
    ws = wb.active
    ws.title = "财务公开"
    ws.cell(row=1, column=1, value=f"{d.organisation}财务公开").font = Font(bold=True, size=16)
    subtitle = f"公开期间: {d.period.label}  公开类型: {d.period.kind}公开  公开日期: {d.posted}"
    ws.cell(row=2, column=1, value=f"{subtitle}  单位: 元")
    row = 3
    if d.blockers:
        note = f"{WATERMARK}: 以下问题尚未解决, 本表仅供核对, 不得作为正式公开"
        ws.cell(row=row, column=1, value=note).font = Font(bold=True, color="BB0000")
        for blocker in d.blockers:
            row += 1
            put(ws, row, 1, blocker)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
        row += 1
    for title, headers, rows in xlsx_sections(d):
        row += 1
        ws.cell(row=row, column=1, value=title).font = Font(bold=True, size=13)
        row += 1
        for column, header in enumerate(headers, 1):
            put(ws, row, column, header, bold=True)
            ws.cell(row=row, column=column).fill = PatternFill("solid", fgColor="EEEEEE")
        for bold, cells in rows:
            row += 1
            for column, value in enumerate(cells, 1):
                put(ws, row, column, value, bold=bold)
    row += 2
    for text in (
        "村务监督委员会审核意见: ______________________________",
        "主任 (签字): ____________  委员 (签字): ____________  委员 (签字): ____________",
        f"编制单位: {d.agency}    公开单位: {d.organisation}    公开日期: {d.posted}",
        f"核对码: {d.code} (cunzhang disclose --verify 可核对本表是否与账套一致)",
    ):
        ws.cell(row=row, column=1, value=text)
        row += 1
    for column, width in enumerate(WIDTHS, 1):
        ws.column_dimensions[chr(64 + column)].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    if d.blockers:
        ws.oddHeader.center.text = WATERMARK
        ws.oddHeader.center.size = 28
        ws.oddHeader.center.color = "BB0000"
    wb.save(path)
