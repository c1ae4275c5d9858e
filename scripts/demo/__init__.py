"""Generate the demo township 青石镇: four fictional villages, 2024 and 2025.

    python -m scripts.demo [--out DIR] [--examples DIR] [--seed N]

writes the spreadsheets the villages hand in to ``examples/青石镇`` and builds the books
``DIR/青石镇/{东山村,西河村,南岭村,北坡村}`` (``DIR`` defaults to the repository's ``ledgers/``)
by importing them, deleting and recreating those two ``青石镇`` folders and nothing else.
The same seed gives byte-identical files.

The package, in the order a newcomer reads it:

- ``data/<村>.toml``: each village's *profile*, plain data (:mod:`.profile` names the
  fields): products and their seasons, wage levels, recurring receipts and payments, fixed
  assets, projects, the posted first secretary and the funds the secretary's unit pledged;
  ``data/<村>-2024Q1-<表格>.csv``: the shared sample spreadsheets of 2024 Q1 (东山村's bank
  journal, 西河村's voucher list, 南岭村's bank statement), transcribed row by row.
  :mod:`.villages` reads them; ``data/members.toml``: the name pools :mod:`.members` draws
  each village's member households (成员名册) from, with the seed, by 村民小组. Every name in
  the demo is fictional.
- :mod:`.book` and :mod:`.simulation`: a ``Book`` replays each village's two years month by
  month, in date order:
  - the rows of the sample spreadsheets;
  - the village's projects as planned: money received (专项应付款, 一事一议资金), payments
    into 在建工程, completion (在建工程 → 固定资产, the project's funds → 公积公益金);
  - the recurring activity of the village's profile: sales by season, other income,
    wages accrued and paid, expenses from the bank or petty cash, interest, bank fees,
    depreciation, cost of sales;
  - the year end: 损益 → 本年收益 → 未分配收益 and the distribution the members' meeting
    approved (公积公益金, a whole-元 share per member, one line per household), paid to
    members the next January.
  The book refuses any entry that does not balance or that takes cash or a bank account
  below zero.
- :mod:`.papers`: the book's entries become the village's monthly spreadsheets: a
  银行存款日记账 for each bank account and a 现金日记账 (every movement of money, one
  counter-account a row; a transfer between two of them is a row of both, which the import
  counts once), 南岭村's 银行对账单 for 2024 Q1, and a 凭证列表 of everything else; the 2023
  year-end 科目余额表 in the 2004 chart the books open from, and each year's 收益分配方案;
  plus the township's 帮扶资金台账 per year, from the first secretaries' claims.
- :mod:`.build`, as a township accountant would: ``scripts.village.new_village`` creates
  each ledger; the sub-accounts the book used (each code extends its parent's), the
  declarations (README, 声明语法; the 三资 registers and the 成员名册) and the rules for
  the statement are written; the books
  are opened from the trial balance (``cunzhang open-books --chart 2004``, answering the
  mapping file it asks for); then, year by year, the register and the spreadsheets are
  imported with :func:`importers.run.import_files` (what ``cunzhang import`` does), which
  writes the entries with their source, the balance assertions and the archived copies
  under ``documents/``; a month is reconciled with the bank statement (``cunzhang
  reconcile``), and the year is closed and distributed (``cunzhang close-year``,
  ``cunzhang distribute``): the commands' functions (:mod:`projects.year_end`), so every
  written entry is theirs.
"""

from scripts.demo.build import generate, main
from scripts.demo.common import DEFAULT_SEED, EXAMPLES, START
from scripts.demo.papers import TRIAL_BALANCE_NAME, plan_name
from scripts.demo.simulation import replay
from scripts.demo.villages import BEIPO, VILLAGES

__all__ = [
    "BEIPO",
    "DEFAULT_SEED",
    "EXAMPLES",
    "START",
    "TRIAL_BALANCE_NAME",
    "VILLAGES",
    "generate",
    "main",
    "plan_name",
    "replay",
]
