"""``cunzhang import``: spreadsheets into village ledgers, all or nothing.

:func:`import_files` is the whole of ``cunzhang import`` (README, 导入表格), for the CLI and
for scripts:

1. every file is opened and recognised by content; any problem refuses the whole import;
2. the villages are locked and their ledgers read inside the lock
   (:func:`importers.writing.locked`);
3. each file is extracted against its village's ledger by the beangulp importer of its
   kind, and entries whose content key the ledger already holds are skipped;
4. the new text is planned (one journal file per year, new accounts in
   ``accounts.beancount``, declarations in ``projects.beancount``) and the source file is
   archived under ``documents/<account>/<date>.<sha256>.<name>``. A township-wide file (a
   fund register: :attr:`~importers.base.SheetImporter.township`) is archived whole at
   township level (``<乡镇>/documents/…``, outside every village's documents, which is all
   Fava serves), and into each village only as an extract of that village's rows, at their
   original sheets and row numbers (:func:`importers.base.village_extract`);
5. the changes are staged, checked with Beancount and its plugins, and published in one
   commit, as every ledger write is (:mod:`importers.writing`): any error the import would
   add refuses it, and killed at any moment the villages are left as before or as after.
   While Beancount loads, the import holds nothing per row (:func:`released`: the
   workbooks, the entries and the text are let go of), so an import's memory is one
   Beancount load's.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from beancount.core import data

from importers import KINDS, writing
from importers.base import (
    VILLAGE_KEY,
    ImportOptions,
    SheetImporter,
    archive_name,
    import_keys,
    kind_names,
    recognise,
    village_extract,
)
from importers.classify import load_rules
from importers.columns import load_columns
from importers.render import block
from importers.sheet import (
    ImportRefused,
    Problem,
    Synonyms,
    Workbook,
    forget_workbooks,
    header_diagnosis,
    open_workbook,
    squeeze,
)
from importers.writing import ACCOUNTS, DOCUMENTS, LockedVillage, add_entries, append, read_text
from projects import layout
from projects.files import Commit
from projects.ledger import read


@dataclass
class FileReport:
    """What one file added to one village: ``added`` as Beancount loaded them from the
    checked ledger (``filename`` and ``lineno`` where they are written); after a dry run, as
    the importer extracted them."""

    file: Path
    kind: str
    village: Path
    added: list[data.Directive] = field(default_factory=list)
    duplicates: int = 0
    archive: Path | None = None  # relative to the village
    extract: bytes | None = None  # what is archived, when not the file (a register's rows)

    @property
    def flagged(self) -> list[data.Transaction]:
        """Transactions left for the accountant to classify (flag ``!``)."""
        return [e for e in self.added if isinstance(e, data.Transaction) and e.flag == "!"]


@dataclass
class ImportReport:
    """The outcome of an import: per file and village, what was added and what was skipped."""

    files: list[FileReport] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    other_villages: int = 0  # register declarations of villages not being imported into
    registers: dict[Path, Path] = field(default_factory=dict)  # township archive → register
    written: list[Path] = field(default_factory=list)
    preview: str = ""  # with --dry-run: the text it would append to each file
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def added(self) -> int:
        return sum(len(f.added) for f in self.files)

    @property
    def duplicates(self) -> int:
        return sum(f.duplicates for f in self.files)

    @property
    def flagged(self) -> list[tuple[FileReport, data.Transaction]]:
        return [(f, e) for f in self.files for e in f.flagged]


@dataclass
class VillageState(LockedVillage):
    """A locked village: its ledger as loaded, and what this import adds to it."""

    keys: set[str]
    options: ImportOptions
    added: list[data.Directive] = field(default_factory=list)
    reports: list[FileReport] = field(default_factory=list)


def import_files(
    village: Path,
    files: list[Path],
    account: str | None = None,
    create_accounts: bool = False,
    dry_run: bool = False,
    chart: str = "2023",
    hidden: str = "refuse",
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import ``files`` into the village (or, for township-wide kinds, township) at ``village``.

    Raises :class:`ImportRefused` with one :class:`Problem` per reason; the ledger is then
    unchanged. With ``dry_run`` nothing is written and ``report.preview`` holds the text.
    ``progress``, if given, is called with each file's path once the file is extracted.
    """
    report = ImportReport()
    with timed(report, "read"):
        targets = [t.resolve() for t in layout.villages_under(Path(village))]
        if not targets:
            problem = Problem(str(village), "", 0, "这里没有村账套 (no village ledger)")
            raise ImportRefused([problem])
        workbooks = [open_workbook(Path(f)) for f in files]
        synonyms = village_columns(targets)
        kinds = recognise_all(workbooks, targets, synonyms)
    township = targets[0].parent  # a register is archived whole there, under its lock
    with writing.locked([township, *targets] if any(k.township for k in kinds) else targets):
        with timed(report, "load"):
            states = {
                t: load_state(t, account, create_accounts, chart, hidden, synonyms) for t in targets
            }
        with timed(report, "extract"):
            into_village = Path(village).resolve() in (targets[0], targets[0] / layout.MAIN)
            extract_all(workbooks, kinds, states, targets, into_village, report, progress)
            sources = {archive_name(w): w.label for w in workbooks}
            del workbooks  # their rows are extracted: not held while the text is rendered
            forget_workbooks()
            changes, archives = plan(list(states.values()), report.registers)
            report.files = [r for s in states.values() for r in s.reports]
            report.opened = [e.account for s in states.values() for e in s.added if is_open(e)]
        if dry_run:
            report.preview = "".join(
                f"\n;;; {path}\n{text[len(read_text(path)) :]}" for path, text in changes.items()
            )
        if dry_run or not changes:
            return report
        written = sorted(changes) + sorted(archives)
        with Commit(writing.folders_of(written, township)) as commit:
            with timed(report, "write"):
                copies = writing.stage(list(states.values()), changes, archives, commit)
            del changes, archives  # staged: not held while Beancount loads
            with timed(report, "check"):
                check_lightly(list(states.values()), copies, sources, report)
            with timed(report, "write"):
                commit.publish()
        report.written = written
    return report


# -- memory while Beancount loads the staged copies ----------------------------------------


def check_lightly(
    states: list[VillageState],
    copies: list[tuple[LockedVillage, Path]],
    sources: dict[str, str],
    report: ImportReport,
) -> None:
    """:func:`importers.writing.check`, holding nothing per row while Beancount loads
    (:func:`release`); then each file report's entries again, as loaded (:func:`relocate`)."""
    keys = release(states, report)
    loaded = writing.check(copies, sources)
    for (state, staged), entries in zip(copies, loaded, strict=True):
        relocate(state, staged, entries, keys)


def release(states: list[VillageState], report: ImportReport) -> dict[int, str]:
    """Let go of what the import holds per row before Beancount loads the staged ledger, so
    that memory is one Beancount load's: the ledger as loaded before (its errors are kept) and
    the new entries; returns each file report's content keys, in one string (a fresh object:
    the many small ones can all be freed). The heap they leave is given back to the system
    (glibc's ``malloc_trim``), else the load could not reuse it."""
    keys = {id(r): " ".join(e.meta["import_key"] for e in r.added) for r in report.files}
    for state in states:
        state.entries, state.keys, state.added = [], set(), []
    for file_report in report.files:
        file_report.added = []
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to give back
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return keys


def relocate(
    state: VillageState, staged: Path, entries: data.Directives, keys: dict[int, str]
) -> None:
    """Each file report's entries again, as Beancount loaded them from the staged copy
    (``filename`` and ``lineno`` say where in the village's files they are written)."""
    by_key = {e.meta["import_key"]: e for e in entries if e.meta and "import_key" in e.meta}
    prefix, real = str(staged), str(state.folder)
    filenames: dict[str, str] = {}  # staged → village file, one string each (as Beancount's)
    for file_report in state.reports:
        file_report.added = [by_key[key] for key in keys[id(file_report)].split()]
        for entry in file_report.added:
            staged_name = entry.meta["filename"]
            if staged_name not in filenames:
                filenames[staged_name] = staged_name.replace(prefix, real, 1)
            entry.meta["filename"] = filenames[staged_name]


@contextlib.contextmanager
def timed(report: ImportReport, phase: str) -> Iterator[None]:
    """Add a phase's wall and CPU seconds to ``report.timings`` (``phase``, ``phase cpu``)."""
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        for key, took in (
            (phase, time.perf_counter() - wall),
            (f"{phase} cpu", time.process_time() - cpu),
        ):
            report.timings[key] = report.timings.get(key, 0.0) + took


# -- reading and recognising ---------------------------------------------------------------


def village_columns(targets: list[Path]) -> Synonyms:
    """The header words of the villages' ``import-columns.csv`` (refused if one is wrong)."""
    synonyms, problems = load_columns(targets, [kind.dialect for kind in KINDS])
    if problems:
        raise ImportRefused(problems)
    return synonyms


def recognise_all(
    workbooks: list[Workbook], targets: list[Path], synonyms: Synonyms | None = None
) -> list[type[SheetImporter]]:
    """Each file's importer, recognised by content; refuses unknown kinds (saying which header
    came closest and what it lacks) and misdirected files."""
    problems, kinds = [], []
    for workbook in workbooks:
        importer = recognise(workbook, KINDS, synonyms)
        if importer is None:
            diagnosis = header_diagnosis(workbook, [kind.dialect for kind in KINDS], synonyms)
            problems.append(
                Problem(
                    workbook.label,
                    "",
                    0,
                    f"认不出这张表: 找不到{kind_names(KINDS)}的表头 (no known header): {diagnosis}",
                )
            )
            continue
        dialect = importer.dialect
        if not importer.township and len(targets) != 1:
            problems.append(
                Problem(
                    workbook.label,
                    "",
                    0,
                    f"{dialect.kind}须导入到一个村 (a {dialect.kind} goes into one village), "
                    "请写 乡镇/村",
                )
            )
        kinds.append(importer)
    if problems:
        raise ImportRefused(problems)
    return kinds


# -- loading -------------------------------------------------------------------------------


def load_state(
    folder: Path,
    account: str | None,
    create: bool,
    chart: str,
    hidden: str = "refuse",
    columns: Synonyms | None = None,
) -> VillageState:
    """A village's ledger, its content keys and its rules (refused if the rules are wrong)."""
    entries, errors, _ = read(folder / layout.MAIN)
    rules, problems = load_rules(folder)
    if problems:
        raise ImportRefused(problems)
    options = ImportOptions(
        account=account,
        create_accounts=create,
        chart=chart,
        rules=rules,
        hidden=hidden,
        columns=dict(columns or {}),
    )
    return VillageState(folder, entries, errors, import_keys(entries), options)


# -- extracting ----------------------------------------------------------------------------


def extract_all(
    workbooks: list[Workbook],
    kinds: list[type[SheetImporter]],
    states: dict[Path, VillageState],
    targets: list[Path],
    into_village: bool,
    report: ImportReport,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Extract every file, calling ``progress`` with its path after each; :class:`ImportRefused`
    with the problems of all of them."""
    problems: list[Problem] = []
    for workbook, importer_class in zip(workbooks, kinds, strict=True):
        try:
            extract(workbook, importer_class, states, targets, into_village, report)
        except ImportRefused as refused:
            problems.extend(refused.problems)
        if progress is not None:
            progress(str(workbook.path))
    if problems:
        raise ImportRefused(problems)


def extract(
    workbook: Workbook,
    importer_class: type[SheetImporter],
    states: dict[Path, VillageState],
    targets: list[Path],
    into_village: bool,
    report: ImportReport,
) -> None:
    """Extract one file into the states of the villages it concerns, skipping duplicates."""
    path = str(workbook.path)
    if importer_class.township:
        options = next(iter(states.values())).options
        importer = importer_class(
            ImportOptions(chart=options.chart, hidden=options.hidden, columns=options.columns)
        )
        entries = importer.extract(path, [])
        parts = dispatch(workbook, entries, targets, into_village, report)
        for folder, part in parts.items():
            file_report = add(states[folder], importer, workbook, part)
            if file_report.archive is not None:
                report.registers[folder.parent / file_report.archive] = workbook.path
                rows = {(e.meta["sheet"], int(e.meta["row"])) for e in part}
                file_report.extract = village_extract(workbook, importer.dialect, rows)
                if workbook.path.suffix.lower() != ".xlsx":  # the extract is an .xlsx
                    name = f"{file_report.archive.name}.xlsx"
                    file_report.archive = file_report.archive.with_name(name)
        return
    state = states[targets[0]]
    importer = importer_class(state.options)
    entries = importer.extract(path, [*state.entries, *state.added])
    add(state, importer, workbook, entries)


def dispatch(
    workbook: Workbook,
    entries: data.Entries,
    targets: list[Path],
    into_village: bool,
    report: ImportReport,
) -> dict[Path, list]:
    """A township-wide file's entries by village folder. Into one village, the other villages'
    rows are only counted; into a township (of any number of villages), the rows naming a
    village it has no ledger for are refused, one line per village."""
    by_name = {squeeze(t.name): t for t in targets}
    township = targets[0].parent
    parts: dict[Path, list] = defaultdict(list)
    missing: dict[str, list[tuple[str, int]]] = defaultdict(list)  # village → its rows
    for entry in entries:
        name = entry.meta[VILLAGE_KEY]
        if name in by_name:
            parts[by_name[name]].append(entry)
        elif into_village or layout.is_village(township / name):
            report.other_villages += 1
        elif (where := (entry.meta["sheet"], int(entry.meta["row"]))) not in missing[name]:
            missing[name].append(where)
    problems = []
    for name, rows in missing.items():
        (sheet, row), rest = rows[0], rows[1:]
        others = (
            f" (另有 {len(rest)} 行: {'、'.join(str(r) for _, r in rest[:10])})" if rest else ""
        )
        message = (
            f"村 “{name}” 在 {township.name} 下没有账套 (no such village): "
            f"先 cunzhang village new {township.name}/{name}{others}"
        )
        problems.append(Problem(workbook.label, sheet, row, message))
    if problems:
        raise ImportRefused(problems)
    return parts


def add(
    state: VillageState, importer: SheetImporter, workbook: Workbook, entries: data.Entries
) -> FileReport:
    """Keep the entries whose content key is new to the village; count the others."""
    file_report = FileReport(workbook.path, importer.dialect.kind, state.folder)
    for entry in entries:
        key = entry.meta.get("import_key")
        if key is not None and key in state.keys:
            file_report.duplicates += 1
            continue
        if key is not None:
            state.keys.add(key)
        state.added.append(entry)
        if not is_open(entry):
            file_report.added.append(entry)
    if file_report.added:
        date = importer.date(str(workbook.path)) or max(e.date for e in entries)
        folder = Path(DOCUMENTS, *importer.account(str(workbook.path)).split(":"))
        file_report.archive = folder / f"{date.isoformat()}.{archive_name(workbook)}"
    state.reports.append(file_report)
    return file_report


def is_open(entry: data.Directive) -> bool:
    return isinstance(entry, data.Open)


# -- planning the text ---------------------------------------------------------------------


def plan(
    states: list[VillageState], registers: dict[Path, Path]
) -> tuple[dict[Path, str], dict[Path, bytes | Path]]:
    """The new text of each changed file, and each new archive's path → its content (the
    source file, or a register's village extract); ``registers``: the township archives."""
    changes: dict[Path, str] = {}
    archives: dict[Path, bytes | Path] = {a: s for a, s in registers.items() if not a.exists()}
    for state in states:
        opens = [e for e in state.added if is_open(e)]
        if opens:
            title = "导入时开设的明细科目 (opened by import)"
            append(changes, state.folder / ACCOUNTS, block(opens, title))
        for report in state.reports:
            if not report.added or report.archive is None:
                continue
            archive = state.folder / report.archive
            if not archive.exists():
                archives[archive] = report.file if report.extract is None else report.extract
            title = f"导入 import: {report.file.name} ({report.kind}, {report.archive.name})"
            add_entries(changes, state.folder, report.added, title, archive)
    return changes, archives
