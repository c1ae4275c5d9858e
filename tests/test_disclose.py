"""Disclosures: every figure against bean-query, the four outputs, safety and verification."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import pytest
from beanquery import query
from openpyxl import load_workbook
from pypdf import PdfReader

from projects import disclosure
from projects.ledger import load
from projects.masking import mask
from projects.numerals import capital
from projects.periods import parse_period
from projects.reports import VillageBooks
from scripts.village import new_village
from tests.conftest import DEMO, run_cli
from tests.ledgertext import opens

BANK = "Assets:102-银行存款:10201-农商行"
PERSON_ID = "110101199003071234"
MOBILE = "13812345678"
CARD = "6222 0212 3456 7890"

JOURNAL = f"""
2024-01-01 * "期初余额" #opening
  {BANK}                                      100000.00 CNY
  Assets:101-库存现金                            2000.00 CNY
  Assets:112-应收款:11201-张三                   5000.00 CNY
  Assets:151-固定资产:15101-仓库               200000.00 CNY
  Assets:152-累计折旧                          -20000.00 CNY
  Liabilities:201-短期借款:20101-信用社         -50000.00 CNY
  Equity:301-资本                             -227000.00 CNY
  Equity:322-收益分配:32202-未分配收益         -10000.00 CNY

2024-08-15 * "县农业局" "以前的补助"
  {BANK}   8000.00 CNY
  Income:503-补助收入:50301-运转经费

2024-10-08 * "市某局" "帮扶资金" ^P1
  funder: "市某局"
  {BANK}   60000.00 CNY
  Liabilities:241-专项应付款:24101-冷棚改造
2024-10-09 * "县财政局" "衔接资金" ^P1
  funder: "县财政局"
  {BANK}   40000.00 CNY
  Liabilities:241-专项应付款:24101-冷棚改造
2024-10-20 * "某建筑公司" "冷棚工程款" ^P1
  Assets:153-在建工程:15301-冷棚改造   70000.00 CNY
  {BANK}
2024-11-02 * "=HYPERLINK(\\"http://x\\")" "香菇销售 电话{MOBILE}"
  {BANK}   30000.00 CNY
  Income:501-经营收入:50101-香菇销售
2024-11-05 * "王五" "-冲销 卡号{CARD}"
  {BANK}   1500.50 CNY
  Income:501-经营收入:50102-租金
2024-11-20 * "入股分红"
  {BANK}   10000.00 CNY
  Income:502-投资收益:50201-股金分红
2024-12-01 * "李四" "劳务费 身份证{PERSON_ID}"
  Expenses:511-经营支出:51101-人工   3000.00 CNY
  Liabilities:211-应付款:21101-李四
2024-12-05 * "办公用品"
  Expenses:513-管理费用:51301-办公费   800.25 CNY
  Assets:101-库存现金
2024-12-10 * "张三" "收回欠款"
  {BANK}   2000.00 CNY
  Assets:112-应收款:11201-张三

2024-12-31 * "结转本年收益" #closing
  Income:501-经营收入:50101-香菇销售   30000.00 CNY
  Income:501-经营收入:50102-租金        1500.50 CNY
  Income:502-投资收益:50201-股金分红   10000.00 CNY
  Income:503-补助收入:50301-运转经费    8000.00 CNY
  Expenses:511-经营支出:51101-人工     -3000.00 CNY
  Expenses:513-管理费用:51301-办公费    -800.25 CNY
  Equity:321-本年收益
2024-12-31 * "本年收益转入收益分配" #closing
  Equity:321-本年收益                          45700.25 CNY
  Equity:322-收益分配:32202-未分配收益
2024-12-31 * "提取公积公益金、成员分配" #distribution
  Equity:322-收益分配:32201-各项分配:3220101-提取公积公益金   9000.00 CNY
  Equity:322-收益分配:32201-各项分配:3220102-成员分配        20000.00 CNY
  Equity:311-公积公益金                                     -9000.00 CNY
  Liabilities:211-应付款:21102-成员分红                    -20000.00 CNY
2024-12-31 * "各项分配转入未分配收益" #closing
  Equity:322-收益分配:32202-未分配收益                       29000.00 CNY
  Equity:322-收益分配:32201-各项分配:3220101-提取公积公益金  -9000.00 CNY
  Equity:322-收益分配:32201-各项分配:3220102-成员分配       -20000.00 CNY

2025-01-10 * "香菇销售"
  {BANK}   5000.00 CNY
  Income:501-经营收入:50101-香菇销售
"""

DECLARATIONS = """
2024-09-01 custom "secretary" "甲书记" "市某局"
2024-09-05 custom "project" "P1" "冷棚改造"
  kind: "产业项目"
  budget: 100000.00 CNY
2024-09-05 custom "project-funding" "P1" "派出单位帮扶" 60000.00 CNY
  funder: "市某局"
2024-09-05 custom "project-funding" "P1" "衔接资金" 40000.00 CNY
2024-09-06 custom "project-step" "P1" "提议"
2024-09-07 custom "project-step" "P1" "商议"
2024-09-08 custom "project-step" "P1" "审议"
2024-09-10 custom "project-step" "P1" "决议"
2024-09-12 custom "project-step" "P1" "决议公开"
2024-10-08 custom "fund-landed" "市某局" "帮扶资金" 60000.00 CNY
  project: "P1"
"""


def make_village(ledgers: Path, journal: str = JOURNAL, name: str = "测试镇/测试村") -> Path:
    """A village from ``village new`` with the journal and declarations written in."""
    folder = new_village(ledgers, name, datetime.date(2024, 1, 1))
    (folder / "projects.beancount").write_text(DECLARATIONS, "utf-8")
    (folder / "journal" / "2024.beancount").write_text(
        opens(journal, "2024-01-01", first_level=False) + "\n" + journal, "utf-8"
    )
    return folder


@pytest.fixture
def village(ledgers: Path) -> Path:
    return make_village(ledgers)


def compute(folder: Path, period: str = "2024Q4") -> disclosure.Disclosure:
    loaded = load(folder)
    return disclosure.compute(
        VillageBooks.of(folder.name, loaded.entries),
        parse_period(period),
        township=folder.parent.name,
        posted=datetime.date(2025, 1, 5),
        errors=loaded.errors,
    )


def bql(folder: Path, sql: str) -> list[tuple]:
    """Rows of a bean-query over the village's ledger."""
    loaded = load(folder)
    _, rows = query.run_query(loaded.entries, loaded.options, sql)
    return rows


def bql_sum(folder: Path, where: str) -> Decimal:
    """``sum(number)`` of the postings bean-query selects (0 when none)."""
    [(value,)] = bql(folder, f"SELECT sum(number) WHERE {where}") or [(None,)]
    return value or Decimal(0)


def test_clean_village_has_no_blockers(village: Path) -> None:
    assert compute(village).blockers == []


def test_income_and_expense_items_match_bean_query(village: Path) -> None:
    d = compute(village)
    period = "date >= 2024-10-01 AND date <= 2024-12-31 AND NOT 'closing' IN tags"
    for root, groups, total, sign in (
        ("Income", d.income, d.income_total, -1),
        ("Expenses", d.expenses, d.expense_total, 1),
    ):
        rows = bql(
            village,
            f"SELECT date, narration, account, number WHERE account ~ '^{root}:' AND {period} "
            "ORDER BY date",
        )
        items = [(i.date, i.amount) for g in groups for i in g.items]
        assert sorted(items) == sorted((r[0], sign * r[3]) for r in rows)
        for group in groups:
            where = f"account ~ '^{root}:{group.code}-' AND {period}"
            assert group.subtotal == sign * bql_sum(village, where)
        assert total == sign * bql_sum(village, f"account ~ '^{root}:' AND {period}")
    assert [g.code for g in d.income] == ["501", "502"]  # the Q3 subsidy is not in Q4


def test_balances_match_bean_query(village: Path) -> None:
    d = compute(village)

    def balance(pattern: str) -> Decimal:
        return bql_sum(village, f"account ~ '{pattern}' AND date <= 2024-12-31")

    lines = {line.label: line for line in d.assets + d.debts}
    assert lines["货币资金"].amount == balance("^Assets:10[12]-")
    assert lines["固定资产 (净值)"].amount == balance("^Assets:15[12]-")
    assert lines["在建工程"].amount == balance("^Assets:153-")
    assert lines["应收款"].details == [("张三", balance("^Assets:112-应收款:11201-"))]
    assert dict(lines["应付款"].details) == {
        "李四": -balance(":21101-李四"),
        "成员分红": -balance(":21102-成员分红"),
    }
    assert lines["借款"].amount == -balance("^Liabilities:(201|221)-")
    assert lines["专项应付款"].details == [("冷棚改造", -balance("^Liabilities:241-"))]
    assert d.assets_total == balance("^Assets:") == sum(line.amount for line in d.assets)


def test_funds_and_projects_match_bean_query(village: Path) -> None:
    d = compute(village)
    funds = {row["funder"]: row for row in d.funds}
    for funder in ("市某局", "县财政局"):
        received = bql_sum(
            village,
            f"account ~ '^Assets:10[12]-' AND entry_meta('funder') = '{funder}' "
            "AND date >= 2024-10-01 AND date <= 2024-12-31",
        )
        assert funds[funder]["received"] == received
    assert funds["市某局"]["sources"] == ["派出单位帮扶"]
    assert funds["县财政局"]["sources"] == ["衔接资金"]
    [project] = d.projects
    spent = bql_sum(village, "'P1' IN links AND account ~ '^Assets:153-'")
    assert (project["budget"], project["spent"]) == (Decimal("100000.00"), spent)
    assert project["steps"][-1] == ("决议公开", "2024-09-12")
    assert d.funds_total["used"] == spent


def test_annual_statements_add_up_and_match_bean_query(village: Path) -> None:
    d = compute(village, "2024")
    statement = {line.label: line.amounts[0] for line in d.income_statement}
    year = "date >= 2024-01-01 AND date <= 2024-12-31 AND NOT 'closing' IN tags"
    assert statement["一、经营收入"] == -bql_sum(village, f"account ~ '^Income:501-' AND {year}")
    gross = -bql_sum(village, f"account ~ '^(Income|Expenses):' AND {year}")
    assert statement["三、收益总额"] == statement["四、净收益"] == gross
    for label, code in (("减: 提取公积公益金", "3220101"), ("成员分配", "3220102")):
        where = f"account ~ ':{code}-' AND 'distribution' IN tags"
        assert statement[label] == bql_sum(village, where)
    undistributed = -bql_sum(village, "account ~ ':32202-' AND date <= 2024-12-31")
    assert statement["六、年末未分配收益"] == undistributed
    assert statement["加: 年初未分配收益"] == Decimal("10000.00")
    assert "其他转入" not in statement
    assert statement["五、可分配收益"] - 9000 - 20000 == undistributed
    sheet = {line.label: line.amounts for line in d.balance_sheet}
    assert sheet["资产总计"] == sheet["负债和所有者权益总计"]
    assert sheet["资产总计"][1] == bql_sum(village, "account ~ '^Assets:' AND date <= 2024-12-31")
    assert sheet["未分配收益"][1] == undistributed
    assert sheet["固定资产净值"] == [Decimal("180000.00")] * 2


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "label"),
    [
        ("2024Q1", "季度", "2024-01-01", "2024-03-31", "2024年第一季度"),
        ("2024-02", "月度", "2024-02-01", "2024-02-29", "2024年2月"),
        ("2024", "年度", "2024-01-01", "2024-12-31", "2024年度"),
    ],
)
def test_periods(text: str, kind: str, start: str, end: str, label: str) -> None:
    period = parse_period(text)
    assert (period.kind, period.start.isoformat(), period.end.isoformat()) == (kind, start, end)
    assert period.label == label
    with pytest.raises(ValueError):
        parse_period("2024Q5")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("150200", "壹拾伍万零贰佰元整"),
        ("0.5", "伍角"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("0", "零元整"),
        ("10.05", "壹拾元零伍分"),
        ("1010", "壹仟零壹拾元整"),
        ("100000200", "壹亿零贰佰元整"),
        ("100010000", "壹亿零壹万元整"),
        ("-3.20", "负叁元贰角"),
    ],
)
def test_capital_numerals(amount: str, words: str) -> None:
    assert capital(Decimal(amount)) == words


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"身份证{PERSON_ID}", "身份证110***********1234"),
        ("身份证11010119900307123X。", "身份证110***********123X。"),
        (f"手机{MOBILE}", "手机138****5678"),
        ("卡 6222021234567890123", "卡 6222***********0123"),
        (f"卡 {CARD} 付款", "卡 6222********7890 付款"),
        ("金额 150200.00 元, 凭证 20240105", "金额 150200.00 元, 凭证 20240105"),
    ],
)
def test_mask(text: str, masked: str) -> None:
    assert mask(text) == masked


def publish(ledgers: Path, out: Path, *args: str, target: str = "测试镇/测试村"):
    return run_cli(
        "disclose",
        target,
        "--period",
        "2024Q4",
        "--out",
        str(out),
        "--posted",
        "2025-01-05",
        *args,
        ledgers=ledgers,
    )


def test_outputs_are_masked_and_neutralised(village: Path, ledgers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = publish(ledgers, out)
    assert result.exit_code == 0, result.output
    folder = out / "测试村"
    texts = {
        kind: (folder / f"测试村-2024Q4.{kind}").read_bytes() for kind in ("html", "json", "xlsx")
    }
    pdf = "".join(p.extract_text() for p in PdfReader(folder / "测试村-2024Q4.pdf").pages)
    xlsx = load_workbook(BytesIO(texts["xlsx"]))["财务公开"]
    cells = {c.value: c for row in xlsx.iter_rows() for c in row if isinstance(c.value, str)}
    everything = [texts["html"].decode(), texts["json"].decode(), pdf, "\n".join(cells)]
    for text in everything:
        assert (
            PERSON_ID not in text
            and MOBILE not in text
            and "7890" not in text.replace("6222********7890", "")
        )
    assert "138****5678" in texts["html"].decode() and "138****5678" in pdf
    for formula in ('=HYPERLINK("http://x")', "-冲销 卡号6222********7890"):
        cell = cells[formula]
        assert cell.data_type == "s" and cell.quotePrefix
    data = json.loads(texts["json"])
    assert data["reviewed"] is True and data["income_total"] == "41500.50"
    assert data["capitals"]["income_total"] == "肆万壹仟伍佰元伍角"


def test_flagged_entry_refuses_and_force_watermarks(ledgers: Path, tmp_path: Path) -> None:
    flagged = JOURNAL.replace('2024-12-05 * "办公用品"', '2024-12-05 ! "办公用品"')
    make_village(ledgers, flagged)
    out = tmp_path / "out"
    refused = publish(ledgers, out)
    assert refused.exit_code == 1
    assert "拒绝发布" in refused.stderr and "办公用品" in refused.stderr
    assert re.search(r"2024\.beancount:\d+: 2024-12-05", refused.stderr)
    assert not (out / "测试村").exists()
    forced = publish(ledgers, out, "--force", "--format", "html,json,pdf")
    assert forced.exit_code == 0, forced.output
    html = (out / "测试村" / "测试村-2024Q4.html").read_text("utf-8")
    assert 'class="watermark"' in html and "未审核" in html
    assert (
        json.loads((out / "测试村" / "测试村-2024Q4.json").read_text("utf-8"))["reviewed"] is False
    )
    assert not (out / "测试村" / "测试村-2024Q4.xlsx").exists()
    pages = PdfReader(out / "测试村" / "测试村-2024Q4.pdf").pages
    assert len(pages) > 1 and all("未审核" in page.extract_text() for page in pages)


def test_entry_after_the_period_does_not_block(ledgers: Path) -> None:
    later = JOURNAL.replace('2025-01-10 * "香菇销售"', '2025-01-10 ! "香菇销售"')
    assert compute(make_village(ledgers, later)).blockers == []


def rewrite(folder: Path, old: str, new: str) -> None:
    journal = folder / "journal" / "2024.beancount"
    text = journal.read_text("utf-8")
    assert old in text
    journal.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(
    ("old", "new", "changes"),
    [
        ('"入股分红"', '"入股分红 (更正)"', True),  # an entry in the period
        ("2024-11-20 *", "2024-11-21 *", True),
        ('"以前的补助"', '"以前的补助 (更正)"', False),  # before: no figure on the sheet changes
        ("8000.00 CNY\n  Income:503", "8000.10 CNY\n  Income:503", True),  # before: a balance
        ("5000.00 CNY\n  Income:501", "5001.00 CNY\n  Income:501", False),  # after the period
    ],
)
def test_verification_code(village: Path, old: str, new: str, changes: bool) -> None:
    before = compute(village).code
    assert re.fullmatch(r"[0-9a-f]{12}", before)
    rewrite(village, old, new)
    assert (compute(village).code != before) is changes


def test_verify_a_posted_sheet(village: Path, ledgers: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert publish(ledgers, out, "--format", "html,json").exit_code == 0
    posted = [out / "测试村" / f"测试村-2024Q4.{kind}" for kind in ("html", "json")]
    for sheet in posted:
        result = run_cli("disclose", "--verify", str(sheet), ledgers=ledgers)
        assert result.exit_code == 0 and "一致" in result.stdout, result.output
    rewrite(village, "5000.00 CNY\n  Income:501", "5001.00 CNY\n  Income:501")
    assert run_cli("disclose", "--verify", str(posted[0]), ledgers=ledgers).exit_code == 0
    rewrite(village, '"入股分红"', '"入股分红 (更正)"')
    for sheet in posted:
        result = run_cli("disclose", "--verify", str(sheet), ledgers=ledgers)
        assert result.exit_code == 1 and "不一致" in result.stdout, result.output


@pytest.mark.parametrize("name", ["..", "a/b", "村\\名"])
def test_output_paths_stay_under_out(tmp_path: Path, name: str) -> None:
    from scripts.disclose import PublishError, confined

    with pytest.raises(PublishError):
        confined(tmp_path, name)
    (tmp_path / "elsewhere").symlink_to(tmp_path.parent)
    with pytest.raises(PublishError):
        confined(tmp_path, "elsewhere", "x.html")


def test_html_renders_in_chromium(village: Path, ledgers: Path, tmp_path: Path, browser) -> None:
    from PIL import Image, ImageStat

    out = tmp_path / "out"
    assert publish(ledgers, out, "--format", "html").exit_code == 0
    page = browser.new_page(viewport={"width": 794, "height": 1123})
    try:
        page.goto((out / "测试村" / "测试村-2024Q4.html").as_uri())
        text = page.inner_text("body")
        assert "测试村集体经济组织财务公开" in text and "本期收入合计" in text
        assert "肆万壹仟伍佰元伍角" in text and "41,500.50" in text
        shot = Image.open(BytesIO(page.screenshot(full_page=True))).convert("L")
        assert ImageStat.Stat(shot).stddev[0] > 20  # not a blank page
        # real glyphs, not boxes: two different characters in the page's font look different
        page.evaluate(
            "() => { for (const c of ['收', '支']) { const s = document.createElement('span');"
            " s.className = 'glyph'; s.textContent = c; s.style.fontSize = '48px';"
            " document.querySelector('h1').append(s); } }"
        )
        first, second = (g.screenshot() for g in page.query_selector_all("h1 .glyph"))
        assert first != second
        page.set_viewport_size({"width": 375, "height": 800})
        assert page.evaluate("document.body.scrollWidth") <= 376  # tables scroll, the page not
    finally:
        page.close()


def test_township_publishes_each_village_and_an_index(ledgers: Path, tmp_path: Path) -> None:
    make_village(ledgers, name="测试镇/甲村")
    make_village(
        ledgers, JOURNAL.replace('2024-12-05 * "办公', '2024-12-05 ! "办公'), "测试镇/乙村"
    )
    out = tmp_path / "out"
    result = publish(ledgers, out, "--format", "html,json", "--jobs", "2", target="测试镇")
    assert result.exit_code == 1  # 乙村 is refused, 甲村 published
    assert "✓ 甲村" in result.stdout and "✗ 乙村" in result.stderr
    assert (out / "甲村" / "甲村-2024Q4.json").is_file() and not (out / "乙村").exists()
    index = (out / "index.html").read_text("utf-8")
    assert f'href="{quote("甲村")}/{quote("甲村-2024Q4.json")}"' in index and "未发布" in index
    forced = publish(ledgers, out, "--format", "html", "--force", target="测试镇")
    assert forced.exit_code == 0 and "未审核" in (out / "index.html").read_text("utf-8")


def test_demo_township_2024q4(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    result = run_cli("disclose", str(DEMO), "--period", "2024Q4", "--out", str(out))
    assert result.exit_code == 0, result.output
    villages = sorted(p.parent.name for p in DEMO.glob("*/main.beancount"))
    assert len(villages) == 4
    index = (out / "index.html").read_text("utf-8")
    for name in villages:
        for kind in ("html", "xlsx", "pdf", "json"):
            assert (out / name / f"{name}-2024Q4.{kind}").stat().st_size > 0
        assert f'href="{quote(name)}/{quote(name + "-2024Q4.html")}"' in index
        data = json.loads((out / name / f"{name}-2024Q4.json").read_text("utf-8"))
        period = "date >= 2024-10-01 AND date <= 2024-12-31 AND NOT 'closing' IN tags"
        folder = DEMO / name
        assert Decimal(data["income_total"]) == -bql_sum(
            folder, f"account ~ '^Income:' AND {period}"
        )
        assert Decimal(data["expense_total"]) == bql_sum(
            folder, f"account ~ '^Expenses:' AND {period}"
        )
        assert Decimal(data["assets_total"]) == bql_sum(
            folder, "account ~ '^Assets:' AND date <= 2024-12-31"
        )
