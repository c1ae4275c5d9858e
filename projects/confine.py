"""What a village ledger may name: no file outside its folder, no Python but allowed modules.

A county receives village folders from many hands, and loading a ledger trusts its text:
Beancount reads every file an ``include`` names and imports every ``plugin`` module (from the
ledger's own folder with ``option "insert_pythonpath"``); Fava imports every ``custom
"fava-extension"`` module with the ledger's folder first on ``sys.path`` and runs the Python
file ``custom "fava-option" "import-config"`` names. :func:`scan` reads the ledger's text
before any of that happens — Beancount's parser only, no plugin run, following includes only
while they stay inside the village folder — and returns what breaks the rule, each at the
file and line that wrote it:

- an ``include`` whose file (symlinks resolved, globs expanded, ``..`` followed) lies outside
  the village folder; a glob whose fixed part lies outside is not even expanded. An encrypted
  include (Beancount would run gpg on it) is refused too;
- ``option "insert_pythonpath"``;
- a ``plugin`` or ``custom "fava-extension"`` whose module is not on the allow-list:
  :data:`ALLOWED` and the county's ``CUNZHANG_ALLOW_PLUGINS`` (:data:`ALLOW_ENV`);
- for the standard plugins that ``eval()`` their configuration (:data:`EVAL_CONFIG`), a
  configuration that is not a plain Python literal;
- ``custom "fava-option" "import-config"``, whatever its path (it names Python code);
- ``option "documents"``, ``custom "fava-option" "import-dirs"`` and ``"default-file"`` naming
  a folder or file outside the village folder (documents are listed and served from there,
  uploads and new entries written there).
"""

from __future__ import annotations

import ast
import glob
import importlib
import io
import os
import re
from dataclasses import dataclass, field
from itertools import takewhile
from pathlib import Path
from typing import NamedTuple

from beancount.core import data
from beancount.parser import _parser, grammar
from beancount.utils import encryption

#: Modules a ledger may name as a plugin or Fava extension, with their submodules: this
#: project's, Beancount's standard plugins, Fava's plugins and its portfolio extension.
#: Not ``fava.ext.auto_commit``: it runs ``git`` in the village folder, whose ``.git/config``
#: and hooks came with the folder.
ALLOWED = ("projects", "beancount.plugins", "fava.plugins", "fava.ext.portfolio_list")

#: The county's own additions to :data:`ALLOWED`: module names separated by commas or spaces,
#: installed in cunzhang's environment (a village folder is never on ``sys.path``).
ALLOW_ENV = "CUNZHANG_ALLOW_PLUGINS"

#: Standard plugins that ``eval()`` their configuration string.
EVAL_CONFIG = frozenset(
    {
        "beancount.plugins.check_average_cost",
        "beancount.plugins.check_commodity",
        "beancount.plugins.commodity_attr",
    }
)

MODULE = re.compile(r"[^\W\d]\w*(\.[^\W\d]\w*)*")
GLOB_MAGIC = re.compile(r"[*?[]")
#: Keywords of the directives the rule is about: an included file without them (most
#: journals) has none of those directives, and is read but not parsed.
KEYWORDS = re.compile(rb"include|option|plugin|custom")
OUTSIDE = "在村账套之外 (outside the village folder)"


class Breach(NamedTuple):
    """A directive that breaks the rule, shaped like a Beancount error."""

    source: dict
    message: str
    entry: None = None


@dataclass
class Scan:
    """A ledger's files as Beancount names them, the options its main file sets, its
    breaches, and the Fava extensions it names, each with its source."""

    files: list[str] = field(default_factory=list)
    options: dict = field(default_factory=dict)
    breaches: list[Breach] = field(default_factory=list)
    extensions: list[tuple[dict, str]] = field(default_factory=list)

    def breach(self, source: dict, message: str) -> None:
        self.breaches.append(
            Breach(data.new_metadata(source["filename"], source["lineno"]), message)
        )


class _Builder(grammar.Builder):
    """Beancount's parse builder, noting where each include, option and plugin is written
    (the parser keeps their values but not their lines)."""

    def __init__(self) -> None:
        super().__init__()
        self.includes: list[tuple[dict, str]] = []
        self.options_at: list[tuple[dict, str, object]] = []
        self.plugins: list[tuple[dict, str, str | None]] = []

    def include(self, filename, lineno, include_filename):
        self.includes.append((data.new_metadata(filename, lineno), include_filename))
        return super().include(filename, lineno, include_filename)

    def option(self, filename, lineno, key, value):
        self.options_at.append((data.new_metadata(filename, lineno), key, value))
        return super().option(filename, lineno, key, value)

    def plugin(self, filename, lineno, plugin_name, plugin_config):
        self.plugins.append((data.new_metadata(filename, lineno), plugin_name, plugin_config))
        return super().plugin(filename, lineno, plugin_name, plugin_config)


def allow_list() -> tuple[str, ...]:
    """:data:`ALLOWED` and the county's additions (:data:`ALLOW_ENV`)."""
    return ALLOWED + tuple(os.environ.get(ALLOW_ENV, "").replace(",", " ").split())


def allowed(name: object) -> bool:
    """Whether a plugin or extension module name is on the allow-list (or below an entry)."""
    if not isinstance(name, str) or not MODULE.fullmatch(name):
        return False
    return any(name == entry or name.startswith(entry + ".") for entry in allow_list())


def outside(path: str, root: Path) -> Path | None:
    """Where ``path`` leads if that is outside ``root`` (a resolved folder), else None.

    Both readings count: the system's (``..`` after a symlink leaves the symlink's target)
    and Beancount's (``os.path.normpath`` first)."""
    for target in (Path(path).resolve(), Path(os.path.normpath(path)).resolve()):
        if not target.is_relative_to(root):
            return target
    return None


def _parse(filename: str, top: bool) -> tuple[_Builder, data.Directives, dict]:
    """Parse one file as ``beancount.parser.parser.parse_file`` does, with :class:`_Builder`;
    an included file without any of :data:`KEYWORDS` is not parsed (it has nothing to check)."""
    builder = _Builder()
    with open(filename, "rb") as file:
        text = file.read()
    if not top and not KEYWORDS.search(text):
        return builder, [], {}
    _parser.Parser(builder).parse(io.BytesIO(text), filename=filename, lineno=1)
    entries, _, options = builder.finalize()
    return builder, entries, options


def _include(result: Scan, source: dict, pattern: str, root: Path) -> list[str]:
    """The files an include names, as Beancount names them; none after a breach."""
    search = os.path.join(os.path.dirname(source["filename"]), pattern)
    fixed = Path(*takewhile(lambda part: not GLOB_MAGIC.search(part), Path(search).parts))
    target = outside(str(fixed), root)
    matches = [] if target else [os.path.normpath(m) for m in glob.glob(search, recursive=True)]
    target = target or next(filter(None, (outside(found, root) for found in matches)), None)
    if target is not None:
        result.breach(source, f'include "{pattern}" → {target} {OUTSIDE}')
        return []
    if any(encryption.is_encrypted_file(found) for found in matches):
        result.breach(source, f'不接受加密文件 include "{pattern}" (encrypted: would run gpg)')
        return []
    return matches


def _option(result: Scan, source: dict, key: str, value: object, top: str, root: Path) -> None:
    if key == "insert_pythonpath":
        result.breach(
            source,
            '不允许 option "insert_pythonpath" (it would import Python from the village folder)',
        )
    elif key == "documents" and isinstance(value, str):
        target = outside(os.path.join(os.path.dirname(top), value), root)
        if target is not None:
            result.breach(source, f'option "documents" "{value}" → {target} {OUTSIDE}')


def _plugin(result: Scan, source: dict, name: str, config: str | None) -> None:
    if not allowed(name):
        result.breach(
            source,
            f'插件不在允许列表 plugin "{name}" (not on the allow-list; a county adds modules '
            f"to {ALLOW_ENV})",
        )
    elif name in EVAL_CONFIG and config is not None and not _literal(config):
        result.breach(
            source,
            f'插件配置必须是 Python 字面量 plugin "{name}" (it eval()s its configuration)',
        )


def _literal(text: str) -> bool:
    try:
        ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _custom(result: Scan, entry: data.Custom, top: str, root: Path) -> None:
    values = [value.value for value in entry.values]
    if entry.type == "fava-extension" and values:
        if allowed(values[0]):
            result.extensions.append((entry.meta, values[0]))
        else:
            result.breach(
                entry.meta,
                f'Fava 扩展不在允许列表 custom "fava-extension" "{values[0]}" '
                f"(not on the allow-list; a county adds modules to {ALLOW_ENV})",
            )
    if entry.type != "fava-option" or not values:
        return
    key = str(values[0]).replace("-", "_")
    value = values[1] if len(values) > 1 else ""
    if key == "import_config":
        result.breach(
            entry.meta,
            '不允许 custom "fava-option" "import-config" (Fava would run the Python file it names)',
        )
    elif key in ("import_dirs", "default_file") and isinstance(value, str) and value:
        base = top if key == "import_dirs" else entry.meta["filename"]
        target = outside(os.path.join(os.path.dirname(base), value), root)
        if target is not None:
            result.breach(entry.meta, f'fava-option "{values[0]}" "{value}" → {target} {OUTSIDE}')


def scan(main: Path) -> Scan:
    """Read the ledger ``main`` (its folder is the village folder) and every file it includes
    inside that folder, without running anything; see the module's docstring."""
    root = main.parent.resolve()
    top = str(main.resolve())
    result = Scan()
    if not Path(top).is_relative_to(root):
        result.breach(data.new_metadata(str(main), 0), f"{main.name} → {top} {OUTSIDE}")
        return result
    queue, seen = [top], set()
    while queue:
        filename = queue.pop(0)
        real = Path(filename).resolve()
        if real in seen or not real.is_file():
            continue  # Beancount reports a missing file itself
        seen.add(real)
        result.files.append(filename)
        builder, entries, options = _parse(filename, top=filename == top)
        result.options = result.options or options
        for source, pattern in builder.includes:
            queue.extend(_include(result, source, pattern, root))
        for source, key, value in builder.options_at:
            _option(result, source, key, value, top, root)
        for source, name, config in builder.plugins:
            _plugin(result, source, name, config)
        for entry in entries:
            if isinstance(entry, data.Custom):
                _custom(result, entry, top, root)
    order = {filename: number for number, filename in enumerate(result.files)}
    result.breaches.sort(key=lambda b: (order.get(b.source["filename"], -1), b.source["lineno"]))
    return result


def import_extensions(found: Scan) -> list[Breach]:
    """Import the allowed Fava extensions a ledger names, before Fava does: Fava imports them
    with the ledger's folder first on ``sys.path`` (and leaves it there when an import fails),
    so a module they import for the first time could come from the village folder."""
    breaches = []
    for source, name in found.extensions:
        try:
            importlib.import_module(name)
        except Exception as error:  # any failure: Fava must not try again with the folder first
            message = " ".join(str(error).split())
            breaches.append(
                Breach(source, f'Fava 扩展无法导入 "{name}" (cannot import: {message})')
            )
    return breaches
