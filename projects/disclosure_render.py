"""Rendering a computed disclosure (财务公开): the notice-board HTML, the printable XLSX, JSON.

``projects.disclosure.compute`` gives the figures; these functions only lay them out, so
``cunzhang disclose`` and the Fava page 财务公开 show the same sheet. The HTML comes from
``projects/templates`` (print-ready A4, readable on a phone); the XLSX is one A4 sheet with
formula-like text neutralised.
"""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from urllib.parse import quote

import jinja2
import segno
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from projects import disclosure
from projects.numerals import capital
from projects.statements import BALANCE_COLUMNS, INCOME_COLUMNS, StatementLine
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
    env.filters["committee"] = committee
    env.filters["funder"] = funder_label
    return env


def committee(d: disclosure.Disclosure) -> list[str]:
    """The signature lines of the 村务监督委员会: the reviewers the ledger records for the
    period, else a chair and two members to sign by hand."""
    review = d.sections.review if d.sections else None
    if review and review.reviewers:
        return [f"监委会成员 {name}" for name in review.reviewers]
    return ["监委会主任", "监委会委员", "监委会委员"]


def published_url(d: disclosure.Disclosure) -> str | None:
    """Where the county posts this sheet (``publish_url`` option), or none."""
    if not d.publish_url:
        return None
    parts = (d.township, d.village, f"{d.village}-{d.period.code}.html")
    return "/".join([d.publish_url.rstrip("/"), *(quote(part) for part in parts)])


def qr_svg(url: str) -> str:
    """A QR code of ``url`` as inline SVG (``segno``: pure Python, no dependencies)."""
    return segno.make(url, error="m").svg_inline(scale=3, border=2)


def signature_lines(d: disclosure.Disclosure) -> list[str]:
    """The sheet's closing block as lines of text (the XLSX; the HTML lays out the same)."""
    review = d.sections.review if d.sections else None
    opinion = review.opinion if review and review.opinion else "______________________________"
    members = "  ".join(f"{name} (签字): __________" for name in committee(d))
    url = published_url(d)
    where = f"访问 {url} 可查看乡镇公布的原件, 与本表的核对码对照; " if url else ""
    return [
        f"村务监督委员会审核意见: {opinion}",
        "村(社)负责人 (签字): ____________    会计/报账员 (签字): ____________",
        f"{members}  审核日期: {review.date if review else '__________'}",
        f"编制单位: {d.agency}    公开单位: {d.organisation}    公开日期: {d.posted}",
        f"核对码: {d.code}  (由本期账目算出, 账目有任何改动, 核对码就会不同; {where}"
        f"也可请编制单位按核对码与账套核对)",
    ]


def verification(d: disclosure.Disclosure) -> dict:
    """What ``--verify`` needs from a posted sheet: whose books, which period, the code."""
    return {"township": d.township, "village": d.village, "period": d.period.code, "code": d.code}


def render_html(d: disclosure.Disclosure) -> str:
    """The notice-board page; the 「未审核」 watermark when the period has blockers."""
    template = environment().get_template("disclosure.html")
    url = published_url(d)
    return template.render(
        d=d,
        reviewed=not d.blockers,
        verification=verification(d),
        url=url,
        qr=qr_svg(url) if url else None,
    )


def render_json(d: disclosure.Disclosure) -> str:
    """The disclosure as a JSON document: money as exact strings."""
    document = {**d.to_json(), "reviewed": d.status == "已审核", "published_url": published_url(d)}
    return json.dumps(document, ensure_ascii=False, indent=2)


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


def funder_label(f: dict) -> str:
    """A funds row's 出资方, with who remitted its money where another did."""
    through = "、".join(f.get("remitted_by", ()))
    return f"{f['funder']} (经{through}拨付)" if through else f["funder"]


def _fund_row(f: dict) -> list:
    money = [f[k] for k in ("received", "received_to_date", "used")]
    return [funder_label(f), "、".join(f["sources"]), *money, "; ".join(f["for"])]


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


LEASE_HEADERS = ["合同编号", "承包、承租方", "标的", "起止日期", "应收租金", "已收租金", "欠收租金"]
RESOURCE_HEADERS = ["类别", "状态", "宗数", "面积", "在合同期内面积", "单位"]
DISTRIBUTION_HEADERS = ["年度", "村民小组", "户数", "股数", "成员分配"]


def _or_none(rows: Rows, what: str) -> Rows:
    """The rows, else one 本期无 row."""
    return rows or [(False, [f"本期无{what}"])]


def _register_sections(d: disclosure.Disclosure) -> list[tuple[str, list[str], Rows]]:
    """专项公开's 发包、租赁 contracts and 各类资源 from the registers, at period end."""
    leases: Rows = [
        (
            False,
            [
                *(c["contract"], c["party"], c["subject"], f"{c['start']} 至 {c['end']}"),
                *(c["due"], c["received"], c["arrears"]),
            ],
        )
        for c in d.registers.get("leases", ())
    ]
    resources = [
        (False, [r["kind"], r["status"], r["count"], r["area"], r["contracted"], r["unit"]])
        for r in d.registers.get("resources", ())
    ]
    return [
        ("专项公开: 发包、租赁合同 (截至期末)", LEASE_HEADERS, _or_none(leases, "发包、租赁合同")),
        ("专项公开: 各类资源 (截至期末)", RESOURCE_HEADERS, _or_none(resources, "资源登记")),
    ]


def _distribution_rows(d: disclosure.Disclosure) -> Rows:
    rows: Rows = [
        (False, [g["year"], g["group"], g["households"], g["shares"], g["amount"]])
        for g in d.distribution
    ]
    if rows:
        rows.append(
            (True, ["合计", "", "", "", sum((g["amount"] for g in d.distribution), Decimal(0))])
        )
    return _or_none(rows, "成员分配")


def _statement_cells(line: StatementLine | None) -> list:
    """A statement line's cells: 项目, 行次 and its amounts (blank for a heading)."""
    if line is None:
        return ["", "", "", ""]
    amounts = line.amounts or ["", ""]
    return [line.label, line.row or "", *amounts]


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
        *_register_sections(d),
    ]
    if d.income_statement:
        sections.append(
            (
                f"七、收益及收益分配表 (会农经02表)  编制单位: {d.organisation}  "
                f"{d.period.start.year}年度  单位: 元",
                ["项目", "行次", *INCOME_COLUMNS],
                [(line.total, _statement_cells(line)) for line in d.income_statement],
            )
        )
    if d.balance_sheet:
        sides = [[line for line in d.balance_sheet if line.part == part] for part in (0, 1)]
        rows = [
            (False, _statement_cells(left) + _statement_cells(right))
            for left, right in itertools.zip_longest(*sides)
        ]
        headers = ["资产", "行次", *BALANCE_COLUMNS, "负债和所有者权益", "行次", *BALANCE_COLUMNS]
        end = d.period.end
        title = (
            f"八、资产负债表 (会农经01表)  编制单位: {d.organisation}  "
            f"{end.year}年{end.month}月{end.day}日  单位: 元"
        )
        sections.append((title, headers, rows))
    if d.distribution or d.period.annual:
        sections.append(("成员分配 (按村民小组汇总)", DISTRIBUTION_HEADERS, _distribution_rows(d)))
    if d.warnings:
        sections.append(("说明", [], [(False, [w]) for w in d.warnings]))
    return sections


def write_xlsx(d: disclosure.Disclosure, path: Path) -> None:
    """The disclosure as one A4 sheet, sections one under another, ready to print."""
    wb = Workbook()
    ws = wb.active
    ws.title = "财务公开"
    title = ws.cell(row=1, column=1, value=f"{d.organisation}财务公开")
    title.font = Font(bold=True, size=16)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(WIDTHS))
    subtitle = f"公开期间: {d.period.label}  公开类型: {d.period.kind}公开  公开日期: {d.posted}"
    ws.cell(row=2, column=1, value=f"{subtitle}  单位: 元  状态: {d.status}")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(WIDTHS))
    ws.cell(row=2, column=1).alignment = Alignment(horizontal="center")
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
    for text in signature_lines(d):
        ws.cell(row=row, column=1, value=text)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
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
