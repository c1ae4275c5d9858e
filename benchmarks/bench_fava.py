"""Each cunzhang page in Fava against Fava's own balance sheet on the same ledger.

    python -m benchmarks.bench_fava [--repeat N] [--years N]

For the demo township (its first village) and for a generated village with ``--years`` of
books (default 10), prints the median time of each page and its ratio to the balance sheet
(the page plus the ``api/balance_sheet`` call its browser makes). Pages are timed *cold*
(their tables not yet computed, as after every change of the ledger; the books themselves
are read when Fava loads the ledger) and *warm*. Target: ratio ≤ 1.5.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from fava.util import slugify

from projects.fava_ext import page as fava_page
from projects.layout import EMBEDDED_LEDGERS, villages_under
from scripts.serve import make_app
from scripts.village import new_village

PAGES = (*fava_page.PAGES, "TownshipOverview")
BANK = "Assets:102-银行存款:10201-农商行"
SUBACCOUNTS = {
    BANK: ("10201", "农商行"),
    "Income:501-经营收入:50101-产品销售": ("50101", "产品销售"),
    "Income:503-补助收入:50301-运转补助": ("50301", "运转补助"),
    "Expenses:511-经营支出:51101-原料": ("51101", "原料"),
    "Expenses:513-管理费用:51301-办公费": ("51301", "办公费"),
    "Assets:153-在建工程:15301-工程": ("15301", "工程"),
    "Liabilities:241-专项应付款:24101-项目资金": ("24101", "项目资金"),
}


def generate_village(ledgers: Path, years: int, per_year: int = 1500, seed: int = 1) -> Path:
    """A village with ``years`` of books: sales, costs, subsidies, and one project a year
    funded by a dispatching unit (receipt, landing claim, spending)."""
    rng = random.Random(seed)
    first = datetime.date.today().year - years
    folder = new_village(ledgers, "基准镇/十年村", datetime.date(first, 1, 1))
    with (folder / "accounts.beancount").open("a", encoding="utf-8") as out:
        for account, (code, name) in SUBACCOUNTS.items():
            out.write(f'\n{first}-01-01 open {account} CNY\n  code: "{code}"\n  name: "{name}"\n')
    declarations = [f'{first}-01-01 custom "secretary" "李书记" "县农业局"\n']
    for year in range(first, first + years):
        pid = f"P{year}-01"
        declarations.append(
            f'{year}-01-02 custom "project" "{pid}" "项目{year}"\n'
            f'  kind: "产业项目"\n  budget: 200000.00 CNY\n'
            + "".join(
                f'{year}-01-0{3 + i} custom "project-step" "{pid}" "{step}"\n'
                for i, step in enumerate(("提议", "商议", "审议", "决议", "决议公开"))
            )
            + f'{year}-01-10 custom "fund-landed" "县农业局" "帮扶资金" 100000.00 CNY\n'
        )
        lines = [
            f'{year}-01-10 * "县农业局" "帮扶资金" ^{pid}\n  funder: "县农业局"\n'
            f"  {BANK}  100000.00 CNY\n  Liabilities:241-专项应付款:24101-项目资金\n",
            f'{year}-02-01 * "工程队" "工程款" ^{pid}\n'
            f"  Assets:153-在建工程:15301-工程  80000.00 CNY\n  {BANK}\n",
        ]
        for _ in range(per_year):
            day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            amount = rng.randrange(100, 5000)
            kind = rng.random()
            if kind < 0.5:
                lines.append(
                    f'{day} * "客户" "销售"\n  {BANK}  {amount}.00 CNY\n'
                    "  Income:501-经营收入:50101-产品销售\n"
                )
            elif kind < 0.55:
                lines.append(
                    f'{day} * "乡财政" "补助"\n  {BANK}  {amount}.00 CNY\n'
                    "  Income:503-补助收入:50301-运转补助\n"
                )
            else:
                account = (
                    "Expenses:511-经营支出:51101-原料"
                    if kind < 0.9
                    else ("Expenses:513-管理费用:51301-办公费")
                )
                lines.append(
                    f'{day} * "供应商" "支出"\n  {account}  {amount // 2}.00 CNY\n  {BANK}\n'
                )
        (folder / "journal" / f"{year}.beancount").write_text("\n".join(lines), "utf-8")
    with (folder / "projects.beancount").open("a", encoding="utf-8") as out:
        out.write("".join(declarations))
    return folder


def median_time(fetch: Callable[[], None], repeat: int, before: Callable[[], None]) -> float:
    """The median of ``repeat`` timings of ``fetch``, each after ``before``."""
    timings = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        fetch()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def bench(label: str, villages: list[Path], repeat: int) -> None:
    """Time each page of the first village against Fava's balance sheet, and print."""
    app = make_app(villages)
    client = app.test_client()
    ledger = next(iter(app.config["LEDGERS"].items()))[1]
    slug = quote(slugify(ledger.options["title"]))
    transactions = sum(1 for e in ledger.all_entries if type(e).__name__ == "Transaction")

    def get(path: str) -> Callable[[], None]:
        def fetch() -> None:
            response = client.get(f"/{slug}/{path}")
            assert response.status_code == 200, (path, response.status_code)

        return fetch

    def balance_sheet() -> None:
        get("balance_sheet/")()
        get("api/balance_sheet")()

    def nothing() -> None:
        pass

    def forget_tables() -> None:
        fava_page._CACHES.clear()
        for _, loaded in app.config["LEDGERS"].items():
            fava_page.books_of(loaded)
            fava_page.years_of(loaded)

    balance_sheet()  # warm Fava's own caches first
    base = median_time(balance_sheet, repeat, nothing)
    print(f"\n{label}: {len(villages)} 个村, 第一个村 {transactions} 笔交易")
    print(f"  {'page':<20}{'cold ms':>10}{'ratio':>8}{'warm ms':>10}{'ratio':>8}")
    print(f"  {'balance_sheet':<20}{base * 1000:>10.1f}{1:>8.2f}")
    for name in PAGES:
        fetch = get(f"extension/{name}/")
        cold = median_time(fetch, repeat, forget_tables)
        warm = median_time(fetch, repeat, nothing)
        print(
            f"  {name:<20}{cold * 1000:>10.1f}{cold / base:>8.2f}{warm * 1000:>10.1f}"
            f"{warm / base:>8.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    bench("青石镇 (demo)", villages_under(EMBEDDED_LEDGERS / "青石镇"), args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        village = generate_village(Path(folder), args.years)
        bench(f"generated {args.years}-year village", [village], args.repeat)


if __name__ == "__main__":
    main()
