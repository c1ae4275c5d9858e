"""cunzhang's pages in Fava, for auditors: 项目台账, 帮扶资金, 集体经济, 三资台账 (its own module,
:mod:`projects.fava_ext.registers`), 财务公开, 乡镇总览.

Loaded by every village ledger with ``custom "fava-extension" "projects.fava_ext"``. Each
class is one page in Fava's sidebar; its template (``templates/<Class>.html``) renders the
rows of ``projects.reports``, and every figure links into Fava's journal filtered to the
entries behind it (``projects.fava_ext.links``).
"""

from __future__ import annotations

import datetime
import io
import tempfile
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

from fava.ext import extension_endpoint
from flask import Response, request, send_file, url_for

from projects import disclosure, funds, pdf, reports
from projects.disclosure_render import render_html, render_json, write_xlsx
from projects.disclosure_sections import MONEY_CODES
from projects.fava_ext import links, overview, page
from projects.fava_ext.registers import Registers as Registers  # a page: Fava finds it here
from projects.periods import Period, parse_period
from projects.project_totals import ProjectTotals, project_totals
from projects.publications import quarter


class ProjectLedger(page.Page):
    """项目台账: budget, money received by source, spent, remaining, decision steps, income."""

    report_title = "项目台账"

    def totals(self) -> dict[str, ProjectTotals]:
        """``project_totals`` of the transactions up to the selected year."""
        until = reports.year_end(self.year)
        return self.cached("totals", lambda: project_totals(self.books.transactions(until)))

    def rows(self) -> list[tuple[reports.ProjectRow, dict]]:
        """``reports.project_rows``, each with a journal link for every figure."""
        return self.cached("rows", self._rows)

    def _rows(self) -> list[tuple[reports.ProjectRow, dict]]:
        totals = self.totals()
        return [
            (row, self._links(row, totals.get(row.project, ProjectTotals())))
            for row in self.table("projects")
        ]

    def _links(self, row: reports.ProjectRow, sums: ProjectTotals) -> dict:
        """The links of a project's figures; money received links to its payers."""
        pid = row.project
        project = links.linked([pid])
        payers = {payer: links.equals(key, payer) for payer, key in sums.named_by.items()}
        return {
            "project": self.journal_of_transactions(project),
            "budget": self.journal(links.declared("project", pid)),
            "steps": self.journal(links.declared("project-step", pid)),
            "received": self.postings_of_transactions(
                project,
                links.any_of(payers.values()) if payers else None,
                account=links.MONEY_ACCOUNTS,
                only="brought-in",
            ),
            "spent": self.postings_of_transactions(project, account=links.SPEND_ACCOUNTS),
            "remaining": self.postings_of_transactions(
                project, account=links.SPEND_ACCOUNTS, budget=row.budget
            )
            if row.budget is not None
            else None,
            "capitalised": self.postings_of_transactions(project, account=links.CAPITAL_ACCOUNTS),
            "income": self.postings_of_transactions(
                project, account=links.INCOME_ACCOUNTS, credit=True
            ),
            "by_source": {
                source: self.postings_of_transactions(
                    project, links.any_of(terms), account=links.MONEY_ACCOUNTS, only="brought-in"
                )
                for source, terms in self._sources(pid, payers).items()
            },
        }

    def _sources(self, pid: str, payers: dict[str, str]) -> dict[str, list[str]]:
        """The filter terms of the payers behind each planned source of a project."""
        project = self.books_at_year_end.declarations.projects[pid]
        source_of = {f.funder: f.source for f in project.funding if f.funder}
        sources: dict[str, list[str]] = defaultdict(list)
        for payer, term in payers.items():
            sources[source_of.get(payer, payer)].append(term)
        return sources

    def charts(self) -> list[dict]:
        """Per project, Fava's line chart of money spent to date against the budget."""
        return self.cached("charts", self._charts)

    def _charts(self) -> list[dict]:
        totals = self.totals()
        charts = []
        for pid, project in self.books_at_year_end.declarations.projects.items():
            points = [{"date": project.date.isoformat(), "balance": {"累计支出": 0}}]
            total = Decimal(0)
            for entry, amount in totals.get(pid, ProjectTotals()).spending:
                total += amount
                points.append(
                    {"date": entry.date.isoformat(), "balance": {"累计支出": float(total)}}
                )
            if project.budget is not None:
                for point in points:
                    point["balance"]["预算"] = float(project.budget)
            charts.append({"type": "balances", "label": f"{pid} {project.name}", "data": points})
        return charts


class SupportFunds(page.Page):
    """帮扶资金: per dispatching unit and first secretary, pledged, claimed, found, spent."""

    report_title = "帮扶资金"

    def rows(self) -> list[tuple[reports.FundRow, dict]]:
        """``reports.fund_rows``, each with a journal link for every figure."""
        return self.cached("rows", self._rows)

    def _rows(self) -> list[tuple[reports.FundRow, dict]]:
        funded = self.funded()
        return [(row, self._links(row.unit, funded[row.unit])) for row in self.table("funds")]

    def funded(self) -> dict[str, set[str]]:
        """The projects each funder's aid is linked to, up to the selected year."""
        return self.cached("funded", self._funded)

    def _funded(self) -> dict[str, set[str]]:
        funded: dict[str, set[str]] = defaultdict(set)
        for receipt in reports.funds_of(self.books_at_year_end).receipts:
            funded[receipt.funder] |= set(receipt.projects)
        return funded

    def _links(self, unit: str, projects: set[str]) -> dict[str, str | None]:
        """The journal links of a unit's figures: its aid is money or assets it funded (or
        remitted without naming another funder) credited to a fund account; its purchases
        are credited to operating income."""
        own = links.any_of([links.equals("funder", unit), links.equals("payee", unit)])
        return {
            "pledged": self.journal(links.declared("fund-pledge", unit)),
            "claimed": self.journal(links.declared("fund-landed", unit)),
            "unverified": self.journal(links.declared("fund-landed", unit)),
            "found": self.postings_of_transactions(
                own, account=links.fund_accounts(self.fund_codes()), credit=True
            ),
            "purchases": self.postings_of_transactions(
                own, account=links.OPERATING_ACCOUNTS, credit=True
            ),
            "spent": self.shares_url(unit) if projects else None,
        }

    def fund_codes(self) -> frozenset[str]:
        """The first-level codes whose credits are aid in this ledger (with ``aid_accounts``)."""
        return funds.fund_accounts(self.books.options.aid_accounts)

    def shares_url(self, unit: str) -> str:
        """The 明细 of a unit's 已支出 (``shares``) in the selected year."""
        url = url_for(
            "extension_report", extension_name=self.name, filter=None, account=None, time=None
        )
        query = {"unit": unit} if self.year is None else {"unit": unit, "time": self.year}
        return f"{url}shares?{urlencode(query)}"

    @extension_endpoint("shares")
    def shares(self) -> str:
        """明细 of a unit's 已支出: each spending posting of the projects it funds, with its
        share (``funds.spending_shares``), whose total is the figure; a link to Fava's
        journal of those projects' spending postings in full."""
        unit = request.args.get("unit", "")
        rows = funds.spending_shares(self.books_at_year_end.transactions(), unit)
        projects = sorted(self.funded().get(unit, ()))
        return self.render_postings(
            [(entry, posting, posting.units.number, share) for entry, posting, share in rows],
            sum((share for _, _, share in rows), Decimal(0)),
            shares=True,
            unit=unit,
            projects=projects,
            amounts=sum((posting.units.number for _, posting, _ in rows), Decimal(0)),
            journal=self.journal_of_transactions(
                links.linked(projects), account=links.SPEND_ACCOUNTS
            ),
        )

    def findings(self) -> list[reports.Finding]:
        """Claims the books do not bear out, and receipts never claimed."""
        return self.table("findings")

    def secretaries(self) -> list[reports.SecretaryRow]:
        """``reports.secretary_rows``: each secretary's term, funds and income before/after."""
        return self.table("secretaries")


class CollectiveIncome(page.Page):
    """集体经济: collective operating income by year, its band, the trend, the subsidies."""

    report_title = "集体经济"

    def rows(self) -> list[tuple[reports.IncomeRow, dict]]:
        """``reports.income_rows`` for every year, each with its journal links."""
        return self.cached("rows", self._rows)

    def _rows(self) -> list[tuple[reports.IncomeRow, dict]]:
        return [
            (
                row,
                {
                    **{
                        key: self.postings(
                            links.transactions(years=[row.year]), account, credit=True
                        )
                        for key, account in (
                            ("operating", links.OPERATING_ACCOUNTS),
                            ("subsidy", links.SUBSIDY_ACCOUNTS),
                            ("total", links.INCOME_ACCOUNTS),
                            ("earnings", links.EARNINGS_ACCOUNTS),
                        )
                    },
                    "results": url_for(
                        "report",
                        report_name="income_statement",
                        filter=links.NOT_YEAR_END,
                        account=None,
                        time=str(row.year),
                    ),
                },
            )
            for row in page.table(self.ledger, "income")
        ]

    def basis(self) -> str:
        """The label of the amount the bands are drawn on (``income_basis``)."""
        return reports.INCOME_BASES[self.books.options.income_basis][0]

    def bands(self) -> tuple[Decimal, Decimal]:
        return self.books.options.income_bands

    def chart(self) -> list[dict]:
        """Fava's bar chart: operating income and subsidies per year."""
        return [
            {
                "type": "bar",
                "label": "集体经营性收入与补助收入",
                "data": [
                    {
                        "date": f"{row.year}-01-01",
                        "budgets": {},
                        "balance": {
                            "经营性收入": float(row.operating),
                            "补助收入": float(row.subsidy),
                        },
                        "account_balances": {},
                    }
                    for row, _ in self.rows()
                ],
            }
        ]


#: 货币资金: 库存现金 and 银行存款, as a Fava account filter.
MONEY_ACCOUNTS = f"^Assets:({'|'.join(MONEY_CODES)})-"


class DisclosurePreview(page.Page):
    """财务公开: the current period's disclosure, as the notice board will show it."""

    report_title = "财务公开"

    def period(self) -> Period:
        """``?period=`` if given, else the quarter of the last transaction (or of the
        end of Fava's time filter)."""
        asked = request.args.get("period")
        if asked:
            try:
                return parse_period(asked)
            except ValueError:
                page.bad_request("期间无效: 应写成 2024Q1、2024-03 或 2024 (invalid period)")
        last = page.last_date(self.ledger) or datetime.date.today()
        if self.year is not None:
            last = min(last, datetime.date(self.year, 12, 31))
        return quarter(last)

    def after_load_file(self) -> None:
        """The tables, and the latest quarter's disclosure and its HTML: the period the page
        opens on costs no request (others are computed when asked for)."""
        super().after_load_file()
        last = page.last_date(self.ledger)
        if last is not None:
            self.notice_board(quarter(last), None)

    def disclosure_of(self, period: Period, year: int | None) -> disclosure.Disclosure:
        """The disclosure of ``period``, once per load (and selected year)."""
        return page.computed(
            self.ledger,
            (self.name, "disclosure", period.code, year),
            lambda: disclosure.compute(
                self.books, period, township=self.township, errors=self.ledger.errors
            ),
        )

    def notice_board(self, period: Period, year: int | None) -> bytes:
        """The notice-board HTML of ``period``, rendered once per load (and selected year)."""
        return page.computed(
            self.ledger,
            (self.name, "html", period.code, year),
            lambda: render_html(self.disclosure_of(period, year)).encode("utf-8"),
        )

    def current(self) -> disclosure.Disclosure:
        """The disclosure of the period shown."""
        return self.disclosure_of(self.period(), self.year)

    def download_url(self, endpoint: str, **params: str) -> str:
        """The URL of one of this page's endpoints for the period shown."""
        base = url_for(
            "extension_report", extension_name=self.name, filter=None, account=None, time=None
        )
        query = urlencode({"period": self.period().code, **params})
        return f"{base}{endpoint}?{query}"

    def periods(self) -> list[tuple[int, list[Period]]]:
        """The periods the selector offers, by year (latest first): the year, its quarters
        and its months up to the last transaction."""
        last = page.last_date(self.ledger) or datetime.date.today()
        groups = []
        for year in reversed(page.years_of(self.ledger)):
            codes = [str(year), *(f"{year}Q{q}" for q in range(1, 5))]
            codes += [f"{year}-{m:02d}" for m in range(1, 13)]
            groups.append((year, [p for p in map(parse_period, codes) if p.start <= last]))
        return groups

    def amount_links(self, d: disclosure.Disclosure) -> dict[str, str]:
        """Fava's journal of the entries behind each summary amount of the sheet: the
        period's income, spending and cash movements, and the assets to its end."""
        period = d.period.code.replace("Q", "-Q")  # Fava's time filter: 2025-Q1, 2025-03
        first = min(page.years_of(self.ledger), default=d.period.start.year)
        to_end = f"{first} - {d.period.end}"
        real = links.transactions()

        def journal(account: str, time: str, filter: str | None = real) -> str:
            return url_for(
                "report", report_name="journal", filter=filter, account=account, time=time
            )

        return {
            "income": journal(links.INCOME_ACCOUNTS, period),
            "expenses": journal("^Expenses:", period),
            "money": journal(MONEY_ACCOUNTS, period),
            "assets": journal("^Assets:", to_end, None),
        }

    @extension_endpoint("html")
    def html(self) -> Response:
        """The disclosure's notice-board HTML (``?download=1`` to save it), rendered once
        per load and period: the preview frame asks for it on every visit."""
        d = self.current()
        content = self.notice_board(d.period, self.year)
        return sent(d, "html", content, "text/html", bool(request.args.get("download")))

    @extension_endpoint("json")
    def json(self) -> Response:
        """The disclosure as the JSON document ``cunzhang disclose`` publishes."""
        d = self.current()
        return sent(d, "json", render_json(d).encode("utf-8"), "application/json")

    @extension_endpoint("pdf")
    def pdf(self) -> Response:
        """The disclosure printed to PDF by headless Chromium, as ``cunzhang disclose``
        prints it; 503 when this server has no Chromium or CJK font."""
        d = self.current()
        html = self.notice_board(d.period, self.year).decode("utf-8")
        try:
            content = written(lambda path: pdf.print_pdf(html, path))
        except pdf.PdfError as error:
            return Response(f"{error}\n", 503, mimetype="text/plain")
        return sent(d, "pdf", content, "application/pdf")

    @extension_endpoint("xlsx")
    def xlsx(self) -> Response:
        """The disclosure as the Excel workbook printed for the notice board."""
        d = self.current()
        content = written(lambda path: write_xlsx(d, path))
        return sent(d, "xlsx", content, XLSX_TYPE)


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def written(write: Callable[[Path], None]) -> bytes:
    """What ``write`` writes to a file, read back (the file in a throwaway folder)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "disclosure"
        write(path)
        return path.read_bytes()


def sent(
    d: disclosure.Disclosure, kind: str, content: bytes, mimetype: str, attachment: bool = True
) -> Response:
    """``content`` as the response, saved as ``<村>-<期间>.<kind>`` when an attachment."""
    return send_file(
        io.BytesIO(content),
        mimetype=mimetype,
        as_attachment=attachment,
        download_name=f"{d.village}-{d.period.code}.{kind}",
    )


class TownshipOverview(page.Page):
    """乡镇总览: the villages this Fava serves side by side, each linking to its pages."""

    report_title = "乡镇总览"

    def rows(self) -> list[dict]:
        """Per village (those the user may see): income and band, funds landed and spent,
        projects, up to the selected year; ``line`` is none while it is computed
        (``projects.fava_ext.overview``), or why it cannot be."""
        year = self.year
        rows = [
            {
                "slug": slug,
                "township": Path(folder).parent.name,
                "village": Path(folder).name,
                "line": line,
                "pages": {name: self.page_url(slug, name) for name in page.PAGES},
            }
            for slug, folder, line in page.village_lines(year)
        ]
        return sorted(rows, key=lambda r: (r["township"], r["village"]))

    @staticmethod
    def total(rows: list[dict]) -> dict:
        """The 合计 of the rows' computed lines, and how many rows are not computed."""
        lines = [row["line"] for row in rows if isinstance(row["line"], dict)]
        return {**overview.total_of(lines), "pending": len(rows) - len(lines)}
