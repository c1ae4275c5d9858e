"""Disclosures under 农村集体经济组织财务公开规定 (农经发〔2011〕13号): the money equation
against the books, the sections, the review status, the signatures, the posting dates and
the record of each publication, the searchable PDF, the villagers' text and the Fava page."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from projects.periods import parse_period
from tests.conftest import run_cli
from tests.test_disclose import JOURNAL, bql_sum, compute, make_village

BANK = "Assets:102-银行存款:10201-农商行"

SPECIAL = f"""
2024-10-05 * "张支书" "计提10月干部报酬"
  Expenses:513-管理费用:51301-干部报酬   1800.00 CNY
  {BANK}
2024-10-06 * "李四" "鱼塘发包款"
  {BANK}   6000.00 CNY
  Income:501-经营收入:50103-发包收入
2024-10-07 * "李四" "鱼塘发包款二期"
  {BANK}   4000.00 CNY
  Income:501-经营收入:50103-发包收入
2024-10-08 * "县自然资源局" "征地补偿款"
  {BANK}   50000.00 CNY
  Liabilities:241-专项应付款:24103-征地补偿
"""

DECLARED = """
2024-01-10 custom "budget" "2024" "501-经营收入" 100000.00 CNY
2024-01-10 custom "budget" "2024" "公益事业" 5000.00 CNY
2024-10-15 custom "tender" "P1" "冷棚土建工程" 68000.00 CNY
  winner: "某建筑公司"
  method: "公开招标"
2024-11-02 custom "levy" "一事一议路灯安装" "王大户" 200.00 CNY
  labour_days: 2
2024-11-02 custom "levy" "一事一议路灯安装" "赵小户" 150.00 CNY
  labour_days: 1
"""


def publish(ledgers: Path, out: Path, *args: str, period: str = "2024Q4") -> object:
    return run_cli(
        "disclose", "测试镇/测试村", "--period", period, "--out", str(out), *args, ledgers=ledgers
    )


# --- 货币资金: 上期结余 + 本期收入 − 本期支出 = 本期结余 ----------------------------------

PERIODS = ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2024", "2024-10", "2024-11", "2024-12"]


@pytest.mark.parametrize("period", PERIODS)
@pytest.mark.parametrize("journal", [JOURNAL, JOURNAL + SPECIAL])
def test_money_equation_holds_against_the_books(ledgers: Path, journal: str, period: str) -> None:
    folder = make_village(ledgers, journal)
    p = parse_period(period)
    m = compute(folder, period).sections.money
    cash = "account ~ '^Assets:10[12]-'"
    # the opening entry of the period's first day belongs to the opening balance
    opening = bql_sum(
        folder,
        f"{cash} AND (date < {p.start} OR (date = {p.start} AND 'opening' IN tags))",
    )
    closing = bql_sum(folder, f"{cash} AND date <= {p.end}")
    assert (m.opening, m.closing) == (opening, closing)
    assert m.opening + m.received - m.paid == m.closing and m.holds
    moved = bql_sum(
        folder,
        f"{cash} AND date >= {p.start} AND date <= {p.end} "
        f"AND NOT (date = {p.start} AND 'opening' IN tags)",
    )
    assert m.received - m.paid == moved


def test_money_equation_by_hand(ledgers: Path) -> None:
    """2024Q4 of the test journal: 102 000 on 30 September (100 000 bank + 2 000 cash +
    8 000 subsidy); in: 60 000 + 40 000 + 30 000 + 1 500.50 + 10 000 + 2 000; out: 70 000
    + 800.25 cash."""
    m = compute(make_village(ledgers)).sections.money
    assert m.opening == Decimal("110000.00")
    assert m.received == Decimal("143500.50") and m.paid == Decimal("70800.25")
    assert m.closing == Decimal("182700.25")


# --- the 2011 sections -------------------------------------------------------------------


def special_village(ledgers: Path) -> Path:
    folder = make_village(ledgers, JOURNAL + SPECIAL)
    with (folder / "projects.beancount").open("a", encoding="utf-8") as handle:
        handle.write(DECLARED)
    return folder


def test_sections_from_the_books_and_declarations(ledgers: Path) -> None:
    s = compute(special_village(ledgers)).sections
    assert [(e.payee, e.amount) for e in s.cadre_pay] == [("张支书", Decimal("1800.00"))]
    assert [(c.payee, c.accounts, c.count, c.amount) for c in s.contracts] == [
        ("李四", ["发包收入"], 2, Decimal("10000.00")),
        ("王五", ["租金"], 1, Decimal("1500.50")),
    ]
    assert [e.amount for e in s.land_compensation] == [Decimal("50000.00")]
    assert [(t.name, t.winner, t.amount) for t in s.tenders] == [
        ("冷棚土建工程", "某建筑公司", Decimal("68000.00"))
    ]
    assert [(v.household, v.amount, v.labour_days) for v in s.levies] == [
        ("王大户", Decimal("200.00"), Decimal("2")),
        ("赵小户", Decimal("150.00"), Decimal("1")),
    ]
    # 经营收入 1 January to 31 December: 30 000 + 1 500.50 + 6 000 + 4 000
    plan = {p.item: (p.planned, p.actual) for p in s.plan}
    assert plan == {
        "501-经营收入": (Decimal("100000.00"), Decimal("41500.50")),
        "公益事业": (Decimal("5000.00"), None),
    }


def test_every_section_is_shown_and_empty_ones_say_so(ledgers: Path, tmp_path: Path) -> None:
    make_village(ledgers)
    assert publish(ledgers, tmp_path, "--format", "html", "--posted", "2025-01-05").exit_code == 0
    html = (tmp_path / "测试村" / "测试村-2024Q4.html").read_text("utf-8")
    for title in ("财务计划", "村组干部报酬", "专项公开", "征地补偿", "发包、租赁", "招投标"):
        assert title in html
    for empty in ("本期无村组干部报酬", "本期无征地补偿", "本期无招投标", "本期无一事一议筹资筹劳"):
        assert empty in html
    assert "合同台账" in html  # the register comes later, and the sheet says so


# --- review status and signatures -------------------------------------------------------


def test_checked_is_not_reviewed_until_the_ledger_records_the_review(
    ledgers: Path, tmp_path: Path
) -> None:
    folder = make_village(ledgers)
    assert compute(folder).status == "检查通过"
    with (folder / "projects.beancount").open("a", encoding="utf-8") as handle:
        handle.write('2025-01-03 custom "review" "2024Q3" "赵监委"\n')  # another period
    assert compute(folder).status == "检查通过"
    code = compute(folder).code
    with (folder / "projects.beancount").open("a", encoding="utf-8") as handle:
        handle.write(
            '2025-01-04 custom "review" "2024Q4" "赵监委" "钱委员" "孙委员"\n'
            '  opinion: "经审核, 本期账目真实完整"\n'
        )
    d = compute(folder)
    assert d.status == "已审核" and d.sections.review.date == datetime.date(2025, 1, 4)
    assert d.code == code  # the review is a record about the books, not part of them
    out = tmp_path / "out"
    assert publish(ledgers, out, "--format", "html,xlsx", "--posted", "2025-01-05").exit_code == 0
    html = (out / "测试村" / "测试村-2024Q4.html").read_text("utf-8")
    assert "已审核" in html and "经审核, 本期账目真实完整" in html
    for line in (
        "村(社)负责人",
        "会计/报账员",
        "监委会成员 赵监委",
        "监委会成员 孙委员",
        "2025-01-04",
    ):
        assert line in html
    ws = load_workbook(out / "测试村" / "测试村-2024Q4.xlsx")["财务公开"]
    texts = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for line in ("村(社)负责人", "会计/报账员", "监委会成员 钱委员", "审核日期: 2025-01-04"):
        assert line in texts
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].alignment.horizontal == "center"
    index = run_cli(
        "disclose", "测试镇", "--period", "2024Q4", "--out", str(tmp_path / "town"),
        "--format", "html", "--posted", "2025-01-05", ledgers=ledgers,
    )  # fmt: skip
    assert index.exit_code == 0
    assert "<td>已审核</td>" in (tmp_path / "town" / "index.html").read_text("utf-8")


# --- posting dates and the record of publications ---------------------------------------


@pytest.mark.parametrize("period", ["2024Q4", "2024-12", "2024"])
@pytest.mark.parametrize("days_before", [0, 1, 30])
def test_posting_before_the_period_ends_is_refused(
    ledgers: Path, tmp_path: Path, period: str, days_before: int
) -> None:
    make_village(ledgers)
    posted = parse_period(period).end - datetime.timedelta(days=days_before)
    result = publish(ledgers, tmp_path, "--posted", str(posted), period=period)
    assert result.exit_code == 2 and "太早" in result.stderr
    assert not (tmp_path / "测试村").exists()


@pytest.mark.parametrize("ahead", [0, 1, 400])
def test_future_periods_and_posting_dates_are_refused(
    ledgers: Path, tmp_path: Path, ahead: int
) -> None:
    make_village(ledgers)
    today = datetime.date.today()
    later = today + datetime.timedelta(days=ahead)
    quarter = f"{later.year}Q{(later.month - 1) // 3 + 1}"  # not over yet
    result = publish(ledgers, tmp_path, period=quarter)
    assert result.exit_code == 2 and "尚未结束" in result.stderr
    tomorrow = str(today + datetime.timedelta(days=1 + ahead))
    result = publish(ledgers, tmp_path, "--posted", tomorrow)
    assert result.exit_code == 2 and "之后" in result.stderr


def test_publication_is_recorded_and_late_periods_are_reported(
    ledgers: Path, tmp_path: Path
) -> None:
    folder = make_village(ledgers)
    before = (folder / "projects.beancount").read_text("utf-8")
    result = publish(ledgers, tmp_path, "--format", "html,json", "--posted", "2025-01-10")
    assert result.exit_code == 0, result.output
    code = json.loads((tmp_path / "测试村" / "测试村-2024Q4.json").read_text("utf-8"))["code"]
    added = (folder / "projects.beancount").read_text("utf-8")[len(before) :]
    assert f'2025-01-10 custom "disclosure-published" "2024Q4" "{code}"' in added
    assert 'formats: "html,json"' in added
    assert run_cli("check", "测试镇/测试村", ledgers=ledgers).exit_code == 0
    rows = run_cli("report", "disclosures", "测试镇", "--format", "json", ledgers=ledgers)
    found = {r["period"]: r for r in json.loads(rows.stdout)}
    # the first transaction is 2024-01-01: every quarter since is owed; deadline 15 days
    assert found["2024Q4"] == {
        "township": "测试镇",
        "village": "测试村",
        "period": "2024Q4",
        "deadline": "2025-01-15",
        "posted": "2025-01-10",
        "code": code,
        "overdue": "否",
        "days_late": 0,
    }
    assert found["2024Q3"]["overdue"] == "是" and found["2024Q3"]["posted"] is None
    assert found["2024Q3"]["deadline"] == "2024-10-15"
    # a code republished on a later day keeps the first posting date
    later = publish(ledgers, tmp_path, "--format", "json", "--posted", "2025-02-01")
    assert later.exit_code == 0
    rows = run_cli("report", "disclosures", "测试镇", "--format", "csv", ledgers=ledgers)
    assert "2024Q4,2025-01-15,2025-01-10" in rows.stdout


def test_posting_after_the_deadline_is_late_by_the_county_option(
    ledgers: Path, tmp_path: Path
) -> None:
    folder = make_village(ledgers)
    with (folder / "main.beancount").open("a", encoding="utf-8") as handle:
        handle.write('2024-01-01 custom "cunzhang-option" "disclosure_deadline_days" 10\n')
    assert publish(ledgers, tmp_path, "--format", "json", "--posted", "2025-01-14").exit_code == 0
    rows = run_cli("report", "disclosures", "测试镇", "--year", "2024", "--format", "json",
                   ledgers=ledgers)  # fmt: skip
    q4 = next(r for r in json.loads(rows.stdout) if r["period"] == "2024Q4")
    assert (q4["deadline"], q4["overdue"], q4["days_late"]) == ("2025-01-10", "是", 4)
    assert {r["period"][:4] for r in json.loads(rows.stdout)} == {"2024"}


def test_many_transactions_make_months_due(ledgers: Path) -> None:
    folder = make_village(ledgers)
    with (folder / "main.beancount").open("a", encoding="utf-8") as handle:
        handle.write('2024-01-01 custom "cunzhang-option" "monthly_disclosure_threshold" 5\n')
    rows = run_cli("report", "disclosures", "测试镇", "--format", "json", ledgers=ledgers)
    periods = [r["period"] for r in json.loads(rows.stdout) if r["period"].startswith("2024")]
    # Q4 has 8 transactions (more than 5): its months are due; Q3 has 1
    assert periods == ["2024Q1", "2024Q2", "2024Q3", "2024-10", "2024-11", "2024-12"]


def test_check_warns_about_overdue_periods_but_exits_0(ledgers: Path, tmp_path: Path) -> None:
    make_village(ledgers)
    result = run_cli("check", "测试镇/测试村", ledgers=ledgers)
    assert result.exit_code == 0
    assert "⚠ 测试镇/测试村" in result.output and "2024Q4 (期限 2025-01-15)" in result.output
    assert publish(ledgers, tmp_path, "--format", "json", "--posted", "2025-01-10").exit_code == 0
    result = run_cli("check", "测试镇/测试村", ledgers=ledgers)
    assert result.exit_code == 0 and "2024Q4 (期限" not in result.output
    assert "2024Q3 (期限 2024-10-15)" in result.output


# --- what villagers read ------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The text a reader sees, without the verification code, URL and QR code."""

    HIDDEN = ("script", "style", "title")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = (dict(attrs).get("class") or "").split()
        machine = tag in (*self.HIDDEN, "svg") or {"code", "url", "qr"} & set(classes)
        if tag not in ("br", "meta", "link", "img", "input"):
            self.stack.append((tag, bool(machine)))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not any(machine for _, machine in self.stack):
            self.parts.append(data)


@pytest.mark.parametrize("journal", [JOURNAL, JOURNAL + SPECIAL])
@pytest.mark.parametrize("url", [None, "https://gk.example.gov.cn/cw"])
def test_villagers_read_no_latin_words(
    ledgers: Path, tmp_path: Path, journal: str, url: str | None
) -> None:
    # the ledger's own text is the village's (a payee may be written in Latin letters)
    folder = make_village(ledgers, journal.replace('=HYPERLINK(\\"http://x\\")', "某超市"))
    if url:
        with (folder / "main.beancount").open("a", encoding="utf-8") as handle:
            handle.write(f'2024-01-01 custom "cunzhang-option" "publish_url" "{url}"\n')
    assert publish(ledgers, tmp_path, "--format", "html", "--posted", "2025-01-05").exit_code == 0
    html = (tmp_path / "测试村" / "测试村-2024Q4.html").read_text("utf-8")
    reader = VisibleText()
    reader.feed(html)
    text = "".join(reader.parts)
    assert re.findall(r"[A-Za-z]{2,}", text) == []
    assert "核对码由本期账目算出" in text and "cunzhang" not in text
    if url:
        assert "<svg" in html and f"{url}/%E6%B5%8B%E8%AF%95%E9%95%87/" in html
        assert "扫描二维码" in text
    else:
        assert "<svg" not in html


def test_pdf_text_is_searchable_and_the_file_small(ledgers: Path, tmp_path: Path) -> None:
    make_village(ledgers, JOURNAL + SPECIAL)
    assert publish(ledgers, tmp_path, "--format", "pdf", "--posted", "2025-01-05").exit_code == 0
    path = tmp_path / "测试村" / "测试村-2024Q4.pdf"
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "测试村集体经济组织财务公开" in text and "财务公开" in text and "一事一议" in text
    assert not [c for c in text if 0x2E80 <= ord(c) <= 0x2FDF]  # no CJK radicals for 山, 一 …
    kinds = {
        font.get_object()["/Subtype"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert "/Type3" not in kinds
    assert path.stat().st_size < 300_000


def test_township_index_speaks_chinese(ledgers: Path, tmp_path: Path) -> None:
    make_village(ledgers, name="测试镇/甲村")
    result = run_cli(
        "disclose", "测试镇", "--period", "2024Q4", "--out", str(tmp_path),
        "--format", "html,xlsx,json", "--posted", "2025-01-05", ledgers=ledgers,
    )  # fmt: skip
    assert result.exit_code == 0
    index = (tmp_path / "index.html").read_text("utf-8")
    links = re.findall(r"<a [^>]*>([^<]*)</a>", index)
    assert links == ["网页版", "表格", "数据"]
    assert "<td>检查通过</td>" in index and "已审核</td>" not in index


# --- the Fava page -------------------------------------------------------------------------


def test_fava_page_period_selector_and_downloads(demo_server: str, browser) -> None:
    from urllib.parse import quote

    from fava.util import slugify

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        base = f"{demo_server}/{quote(slugify('青石镇 南岭村'))}/extension/DisclosurePreview/"
        page.goto(base)
        page.select_option("select[name=period]", "2024Q4")
        page.wait_for_url("**period=2024Q4**")
        assert "2024年第四季度" in page.inner_text("h2")
        for kind in ("html", "xlsx", "pdf", "json"):
            assert page.query_selector(f"a.cz-download[href*='{kind}?period=2024Q4']")
        income = page.get_attribute("table.cz-summary tr:first-child a", "href")
        assert "journal" in income and "time=2024-Q4" in income
        page.wait_for_function(
            "() => document.querySelector('iframe.cz-preview').offsetHeight > 1500"
        )
        frame = page.query_selector("iframe.cz-preview")
        inner = frame.content_frame()
        assert (
            inner.evaluate("document.documentElement.scrollHeight")
            <= frame.bounding_box()["height"] + 2
        )  # the whole sheet shows: the frame does not scroll
        with page.expect_download() as download:  # followed natively (data-remote)
            page.click("a.cz-download[href*='json?']")
        data = json.loads(Path(download.value.path()).read_text("utf-8"))
        assert data["period"]["code"] == "2024Q4" and data["village"] == "南岭村"
    finally:
        page.close()
