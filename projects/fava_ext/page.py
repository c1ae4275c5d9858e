"""What every cunzhang page in Fava shares: the village's books, the year, journal links.

A page's figures come from ``projects.reports`` over the village's entries, computed once
per load of the ledger (Fava reloads a ledger when a file changes) and per year, and kept
until the next load: at most ``CACHE_SIZE`` results per ledger, the least recently used
dropped first, since requests choose years and periods without bound. When Fava loads a
ledger, every table (``TABLES``) is computed for the whole ledger at once: the pages start
from them, and the township overview reads each loaded village's from its ledger and the
others' from ``projects.fava_ext.overview`` (computed in the background), never loading
another village in a request. Only a selected year's tables and the disclosure of
a period are computed on request (and a table dropped from a full cache). The results
live on the ledger's first page (Fava makes one instance of each page per ledger and keeps
it across reloads), so they go with the ledger.
Fava's time filter selects the year, as ``cunzhang report --year`` does; the account and
advanced filters are not applied to the tables, whose totals would otherwise be partial.
"""

from __future__ import annotations

import datetime
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from urllib.parse import quote, urlencode

from beancount.core.data import Posting, Transaction
from fava.context import g
from fava.core import FavaLedger
from fava.core.filters import Match
from fava.ext import FavaExtensionBase, extension_endpoint
from fava.util import slugify
from flask import Response, abort, current_app, render_template, request, url_for
from markupsafe import Markup

from projects import register_reports, reports, transaction_facts
from projects.fava_ext import links, overview
from projects.reports import VillageBooks

T = TypeVar("T")

#: The pages, by class name, in the order of Fava's sidebar.
PAGES = ("ProjectLedger", "SupportFunds", "CollectiveIncome", "Registers", "DisclosurePreview")


def village_of(ledger: FavaLedger) -> str:
    """The village's name: the folder holding its ``main.beancount``."""
    return Path(ledger.beancount_file_path).parent.name


def township_of(ledger: FavaLedger) -> str:
    """The township's name: the folder holding the village."""
    return Path(ledger.beancount_file_path).parent.parent.name


#: The most results ``computed`` keeps per ledger. Requests choose keys (a year from
#: Fava's time filter, a ``?period=`` of the disclosure preview) from an unbounded set, so
#: the least recently used result goes first (the books, read by every request, stay);
#: a dropped one is computed again when asked for.
CACHE_SIZE = 64


class LRU:
    """At most ``size`` results by key, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for ``key``, computing (outside the lock) and keeping it if new."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def cache_of(ledger: FavaLedger) -> LRU | None:
    """The results computed from the ledger's current load, kept by its first page
    (Fava makes one instance of each page per ledger); none for a ledger without them."""
    home = ledger.extensions.get_extension(PAGES[0])
    return home.cache() if isinstance(home, Page) else None


def computed(ledger: FavaLedger, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per load of ``ledger`` and ``key`` (while among the
    ``CACHE_SIZE`` most recently used); what it returns is shared by every page, so
    callers must not change it."""
    cache = cache_of(ledger)
    return compute() if cache is None else cache.get(key, compute)


def books_of(ledger: FavaLedger) -> VillageBooks:
    """The village's books (entries, declarations, options) from a Fava ledger."""
    return computed(
        ledger,
        "books",
        lambda: VillageBooks.of(village_of(ledger), ledger.all_entries, township_of(ledger)),
    )


def books_at(ledger: FavaLedger, year: int | None) -> VillageBooks:
    """The village's books as they stood at the end of ``year`` (all of them if none)."""
    return computed(ledger, ("books", year), lambda: books_of(ledger).as_of(reports.year_end(year)))


def years_of(ledger: FavaLedger) -> list[int]:
    """The years that have real transactions, in order."""
    return computed(
        ledger, "years", lambda: sorted({t.date.year for t in books_of(ledger).transactions()})
    )


def last_date(ledger: FavaLedger) -> datetime.date | None:
    """The date of the last real transaction, if any."""
    return computed(
        ledger,
        "last",
        lambda: max((t.date for t in books_of(ledger).transactions()), default=None),
    )


@reports.at_year_end
def claim_findings(village: VillageBooks, year: int | None = None) -> list[reports.Finding]:
    """``reports.match_claims`` up to the end of ``year``."""
    return reports.match_claims(village, reports.year_end(year))


#: The tables the pages show, by name: those of ``projects.reports`` and the fund findings.
TABLES: dict[str, Callable[[VillageBooks, int | None], list]] = {
    **{
        name: reports.REPORTS[name]
        for name in ("projects", "funds", "income", "secretaries", *register_reports.REPORTS)
    },
    "findings": claim_findings,
}


def table(ledger: FavaLedger, name: str, year: int | None = None) -> list:
    """The rows of ``TABLES[name]`` up to ``year`` (all years if none)."""
    return computed(
        ledger, ("table", name, year), lambda: TABLES[name](books_at(ledger, year), year)
    )


def load_tables(ledger: FavaLedger) -> None:
    """Read the books and compute every table for the whole ledger."""
    years_of(ledger)
    last_date(ledger)
    for name in TABLES:
        table(ledger, name)


#: Which of the selected transactions a 明细 keeps (``?only=``), as the reports count them:
#: money received (``reports.receipts``), money brought in and not earned
#: (``ProjectTotals.received``).
ONLY: dict[str, Callable[[Transaction], bool]] = {
    "money-in": lambda entry: transaction_facts.money_in(entry) > 0,
    "brought-in": lambda entry: (
        transaction_facts.money_in(entry) > 0 and transaction_facts.income(entry) == 0
    ),
}

#: The metadata imported entries carry, with their labels; Fava's journal shows each
#: key's first two letters (``do sh ro im vo fu``).
META_LABELS = {
    "voucher": "凭证号",
    "document": "来源表格",
    "sheet": "工作表",
    "row": "行号",
    "import_key": "导入键",
    "funder": "资金来源单位",
}


def meta_of(entry: Transaction) -> list[tuple[str, str, str | None]]:
    """The entry's labelled metadata (``META_LABELS``), each with a link for a document."""
    found = []
    for key, label in META_LABELS.items():
        value = entry.meta.get(key)
        if value is None:
            continue
        href = None
        if key == "document":
            path = os.path.normpath(os.path.join(os.path.dirname(entry.meta["filename"]), value))
            href = url_for("document", filename=path, filter=None, account=None, time=None)
            value = os.path.basename(str(value))
        found.append((label, str(value), href))
    return found


#: The sidebar link to Fava's 损益表 without the year-end closing.
RESULTS_LINK = "损益表 (不含年终结账)"


def show_year_results(ledger: FavaLedger) -> None:
    """Fava's 损益表 shows each year's income and expenses: the default page and a sidebar
    link carry the filter ``-#closing`` (the year-end ``#closing`` entries zero every
    income and expense account, so a closed year's 损益表 would be empty). A default page
    that sets a filter of its own keeps it. Fava parses its options and sidebar links
    anew on every load, and calls every page's hook: this runs once per load."""
    options = ledger.fava_options
    query = urlencode({"filter": links.NOT_YEAR_END})
    if "filter=" not in options.default_page:
        joiner = "&" if "?" in options.default_page else "?"
        options.default_page = f"{options.default_page}{joiner}{query}"
    slug = slugify(ledger.options["title"]) or slugify(ledger.beancount_file_path)
    link = (RESULTS_LINK, f"/{quote(slug)}/income_statement/?{query}")
    if link not in ledger.misc.sidebar_links:
        ledger.misc.sidebar_links = [*ledger.misc.sidebar_links, link]


def village_lines(year: int | None) -> list[tuple[str, Path, dict | str | None]]:
    """The villages the request may see (slug, folder) with their overview lines up to
    ``year``: a loaded village's from its tables, another's from ``overview.Lines`` (none
    while it is computed). Under plain Fava, which loads every ledger, from each ledger."""
    ledgers = current_app.config["LEDGERS"]
    lines: overview.Lines | None = current_app.config.get(overview.LINES)
    found = []
    for slug, item in ledgers.items():
        ledger = item if lines is None else ledgers.loaded(slug)
        if ledger is None:
            found.append((slug, item.folder, lines.line(item.folder, year)))
            continue
        line = computed(
            ledger,
            ("overview", year),
            lambda v=ledger: overview.line_of(*(table(v, n, year) for n in overview.REPORTS)),
        )
        found.append((slug, Path(ledger.beancount_file_path).parent, line))
    return found


def bad_request(message: str) -> NoReturn:
    """End the request with 400 and ``message``: the request asked for something that
    does not exist (an invalid ``?period=``)."""
    abort(Response(message + "\n", 400, mimetype="text/plain"))


class Page(FavaExtensionBase):
    """A cunzhang page: the village's books, the selected year and links into the journal."""

    _cache: LRU | None = None
    _cache_entries: object = None  # the entries ``_cache`` was computed from

    def cache(self) -> LRU:
        """Results computed from the ledger's current load (a reload makes new entries,
        and a new cache); every page uses the first page's (``cache_of``)."""
        if self._cache is None or self._cache_entries is not self.ledger.all_entries:
            self._cache, self._cache_entries = LRU(CACHE_SIZE), self.ledger.all_entries
        return self._cache

    def after_load_file(self) -> None:
        """``load_tables`` when Fava loads the ledger (once, though Fava calls every
        page's hook), so that no page request pays for them; and ``show_year_results``."""
        load_tables(self.ledger)
        show_year_results(self.ledger)

    @property
    def books(self) -> VillageBooks:
        return books_of(self.ledger)

    @property
    def books_at_year_end(self) -> VillageBooks:
        """The books as they stood at the end of the selected year (all if none)."""
        return books_at(self.ledger, self.year)

    @property
    def village(self) -> str:
        return village_of(self.ledger)

    @property
    def township(self) -> str:
        return township_of(self.ledger)

    @property
    def year(self) -> int | None:
        """The year Fava's time filter selects (the year its period ends in), or none."""
        date_range = g.filtered.date_range
        if date_range is None:
            return None
        return (date_range.end - datetime.timedelta(days=1)).year

    def table(self, name: str) -> list:
        """The report table ``name`` up to the selected year."""
        return table(self.ledger, name, self.year)

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per load of the ledger, per ``key`` and selected year."""
        return computed(self.ledger, (self.name, key, self.year), compute)

    def through_year(self) -> list[int] | None:
        """The ledger's years up to the selected one, or none when no year is selected."""
        year = self.year
        if year is None:
            return None
        return [y for y in years_of(self.ledger) if y <= year] or [year]

    def journal(self, filter: str, account: str | None = None) -> str:
        """Fava's journal of this ledger, filtered; clears any time filter."""
        return url_for("report", report_name="journal", filter=filter, account=account, time=None)

    def journal_of_transactions(self, *terms: str | None, account: str | None = None) -> str:
        """The journal of the real transactions matching the terms, in the selected years."""
        return self.journal(links.transactions(*terms, years=self.through_year()), account)

    def postings(
        self,
        filter: str,
        account: str,
        *,
        credit: bool = False,
        budget: Decimal | None = None,
        only: str | None = None,
    ) -> str:
        """The 明细 of a figure (``postings_view``): the postings to ``account`` of the
        entries ``filter`` selects, with their amounts and total; ``credit`` counts credits
        positive (income), else debits (spending, money received); with ``budget``, also
        what remains of it after the total; ``only`` keeps the transactions ``ONLY``
        names."""
        url = url_for(
            "extension_report", extension_name=self.name, filter=None, account=None, time=None
        )
        query = {"filter": filter, "account": account}
        if credit:
            query["side"] = "credit"
        if budget is not None:
            query["budget"] = str(budget)
        if only is not None:
            query["only"] = only
        return f"{url}postings?{urlencode(query)}"

    def postings_of_transactions(self, *terms: str | None, account: str, **kwargs: Any) -> str:
        """The 明细 (``postings``) of the real transactions matching the terms, in the
        selected years."""
        filter = links.transactions(*terms, years=self.through_year())
        return self.postings(filter, account, **kwargs)

    @extension_endpoint("postings")
    def postings_view(self) -> str:
        """明细: each posting to ``?account=`` (a regular expression, as Fava's account
        filter) of the transactions Fava's filters select, with its amount and the
        total, which is the figure the link came from."""
        account = request.args.get("account", "")
        match = Match(account)
        sign = -1 if request.args.get("side") == "credit" else 1
        try:
            budget = Decimal(request.args["budget"]) if "budget" in request.args else None
        except ArithmeticError:
            bad_request("预算无效 (invalid budget)")
        only = request.args.get("only")
        if only is not None and only not in ONLY:
            bad_request(f"only 只能是 {'、'.join(ONLY)} (invalid only)")
        keep = ONLY[only] if only else None
        rows = [
            (entry, posting, sign * posting.units.number, None)
            for entry in g.filtered.entries
            if isinstance(entry, Transaction) and (keep is None or keep(entry))
            for posting in entry.postings
            if match(posting.account)
        ]
        total = sum((amount for _, _, amount, _ in rows), Decimal(0))
        return self.render_postings(
            rows,
            total,
            budget=budget,
            remaining=None if budget is None else budget - total,
            credit=sign < 0,
            account=account,
            filter=request.args.get("filter", ""),
            journal=url_for("report", report_name="journal"),
        )

    def render_postings(
        self,
        rows: list[tuple[Transaction, Posting, Decimal, Decimal | None]],
        total: Decimal,
        **context: Any,
    ) -> str:
        """A 明细 page (``_postings.html``): each row an entry, its posting, the amount and
        a share of it (none but on a share's 明细, ``shares=True``, whose total is of the
        shares); ``context`` as the template asks (account, filter, journal, ...)."""
        content = self.jinja_env.get_template("_postings.html").render(
            extension=self,
            rows=[(e, p, amount, meta_of(e), share) for e, p, amount, share in rows],
            total=total,
            **{"budget": None, "credit": False, "shares": False, **context},
        )
        return render_template("_layout.html", content=Markup(content), page_title="明细")

    @staticmethod
    def page_url(slug: str, page: str) -> str:
        """The URL of one of our pages in another (or this) ledger."""
        return url_for("extension_report", bfile=slug, extension_name=page, time=None)
