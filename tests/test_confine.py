"""A village ledger cannot reach outside its folder (projects.confine, issue #11 item 3).

Every attack runs on a copy of the demo township through the real ``cunzhang`` command:
``check`` prints ``file:line: message`` for the offending directive and exits 1, ``serve``
refuses to start naming it, and neither has run the planted Python or read the outside file.
"""

from __future__ import annotations

import ast
import builtins
import json
import os
import re
import subprocess
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from fava.util import slugify

from projects import confine
from projects.layout import MAIN, villages_under
from tests.conftest import CUNZHANG, DEMO, copy_demo, free_port, serving

VILLAGE, OTHER = "东山村", "西河村"
SECRET = "Assets:SecretOfXihe"

#: A module that leaves ``<name>.ran`` next to itself when imported or run as a plugin.
MARKER_MODULE = """\
from pathlib import Path

RAN = Path(__file__).with_name(__name__.rpartition(".")[2] + ".ran")
RAN.touch()
__plugins__ = ("run",)


def run(entries, options_map, config=None):
    RAN.write_text("plugin ran")
    return entries, []
"""


@pytest.fixture
def village(tmp_path: Path) -> Path:
    """东山村 in a copy of the demo township, next to 西河村 holding a secret ledger file."""
    township = copy_demo(tmp_path / "青石镇")
    (township / OTHER / "private").mkdir()
    (township / OTHER / "private" / "secret.beancount").write_text(
        f'2024-01-01 note {SECRET} "其他村的账 another village\'s books"\n', "utf-8"
    )
    return (township / VILLAGE).resolve()


def secret_file(village: Path) -> Path:
    return village.parent / OTHER / "private" / "secret.beancount"


def plant(folder: Path, name: str) -> Path:
    """A marker module ``name`` in ``folder``; the file that appears if it ever runs."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(MARKER_MODULE, "utf-8")
    return folder / f"{name}.ran"


def append(ledger: Path, *lines: str) -> int:
    """Append lines to a ledger file; the line number of the first."""
    ledger.parent.mkdir(parents=True, exist_ok=True)
    text = ledger.read_text("utf-8") if ledger.exists() else ""
    ledger.write_text(text + "".join(line + "\n" for line in lines), "utf-8")
    return text.count("\n") + 1


def cunzhang(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The real command; ``env`` adds variables, a PYTHONPATH in front of the current one."""
    added = dict(env or {})
    if "PYTHONPATH" in added:
        added["PYTHONPATH"] = os.pathsep.join(
            filter(None, [added["PYTHONPATH"], os.environ.get("PYTHONPATH")])
        )
    return subprocess.run(
        [str(CUNZHANG), *args],
        capture_output=True,
        text=True,
        timeout=90,
        env={**os.environ, **added},
    )


def assert_refused(
    village: Path, file: Path, line: int, words: str, env: dict[str, str] | None = None
) -> None:
    """``check`` and ``serve`` both refuse the village at ``file:line``, naming ``words``."""
    checked = cunzhang("check", str(village), env=env)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    found = [row for row in checked.stdout.splitlines() if row.startswith(f"{file}:{line}: ")]
    assert found and words in found[0], checked.stdout
    assert "✗ 青石镇/东山村" in checked.stdout
    served = cunzhang("serve", str(village), "--port", str(free_port()), env=env)
    assert served.returncode == 1, served.stdout + served.stderr
    assert f"{file}:{line}: " in served.stderr and words in served.stderr, served.stderr
    assert "Fava: http" not in served.stdout  # refused before starting
    for output in (checked.stdout, checked.stderr, served.stdout, served.stderr):
        assert SECRET not in output  # the outside file was not loaded


def test_untouched_demo_checks_clean_and_scans_clean(village: Path) -> None:
    result = cunzhang("check", str(village.parent))
    assert result.returncode == 0, result.stdout + result.stderr
    for folder in villages_under(DEMO):
        found = confine.scan(folder / MAIN)
        assert found.breaches == [], found.breaches
        assert len(found.files) == 5
        assert [name for _, name in found.extensions] == ["projects.fava_ext"]


# --- includes ------------------------------------------------------------------------

#: Ways to spell the other village's file from 东山村/main.beancount ({abs}: its folder).
SPELLINGS = [
    "{abs}/secret.beancount",
    "{abs}//secret.beancount",
    "{abs}/../private/./secret.beancount",
    "../西河村/private/secret.beancount",
    "./../西河村/private/secret.beancount",
    ".//..//西河村//private//secret.beancount",
    "journal/../../西河村/private/secret.beancount",
    "documents/Assets/../../../西河村/private/secret.beancount",
    "../西河村/private/*.beancount",
    "../*/private/secret.beancount",
    "../西河村/private/secr?t.beancount",
    "../西河村/private/[s]ecret.beancount",
    "**/../../西河村/private/secret.beancount",
    "{abs}/*.beancount",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_include_outside_is_refused(village: Path, spelling: str) -> None:
    pattern = spelling.format(abs=secret_file(village).parent)
    line = append(village / MAIN, f'include "{pattern}"')
    assert_refused(village, village / MAIN, line, "在村账套之外")


def test_include_of_a_server_file_is_refused(village: Path, tmp_path: Path) -> None:
    server = tmp_path / "etc"
    server.mkdir()
    (server / "passwd").write_text(f'2024-01-01 note {SECRET} "root:x:0:0"\n', "utf-8")
    line = append(village / MAIN, f'include "{server}/passwd"')
    assert_refused(village, village / MAIN, line, f"{server}/passwd")


def test_nested_include_chain_is_refused_where_it_leaves(village: Path) -> None:
    append(village / "projects.beancount", 'include "more/a.beancount"')
    append(village / "more" / "a.beancount", 'include "deeper/b.beancount"')
    deepest = village / "more" / "deeper" / "b.beancount"
    line = append(deepest, "; 第三层 third level", 'include "../../../西河村/private/*.beancount"')
    assert_refused(village, deepest, line + 1, "在村账套之外")


def symlinked_file(village: Path) -> tuple[Path, int]:
    """A journal file that is a symlink to the other village's: main's own glob takes it."""
    (village / "journal" / "2026.beancount").symlink_to(secret_file(village))
    main = (village / MAIN).read_text("utf-8").splitlines()
    return village / MAIN, main.index('include "journal/*.beancount"') + 1


def symlinked_folder(village: Path) -> tuple[Path, int]:
    """A folder inside the village that is a symlink to the other village's private folder."""
    (village / "shared").symlink_to(secret_file(village).parent, target_is_directory=True)
    return village / MAIN, append(village / MAIN, 'include "shared/secret.beancount"')


def symlinked_folder_glob(village: Path) -> tuple[Path, int]:
    """The same folder, reached by a recursive glob from inside."""
    (village / "journal" / "old").symlink_to(secret_file(village).parent, True)
    return village / MAIN, append(village / MAIN, 'include "journal/**/secret.beancount"')


def symlinked_main(village: Path) -> tuple[Path, int]:
    """main.beancount itself a symlink to a ledger outside."""
    (village / MAIN).unlink()
    (village / MAIN).symlink_to(secret_file(village))
    return village / MAIN, 0


@pytest.mark.parametrize(
    "attack", [symlinked_file, symlinked_folder, symlinked_folder_glob, symlinked_main]
)
def test_symlink_inside_the_village_pointing_outside_is_refused(
    village: Path, attack: Callable[[Path], tuple[Path, int]]
) -> None:
    file, line = attack(village)
    assert_refused(village, file, line, str(secret_file(village)))


@pytest.mark.parametrize("spelling", [*SPELLINGS, "shared/secret.beancount"])
def test_scan_never_opens_a_file_outside(
    village: Path, spelling: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (village / "shared").symlink_to(secret_file(village).parent, target_is_directory=True)
    pattern = spelling.format(abs=secret_file(village).parent)
    append(village / MAIN, f'include "{pattern}"')
    opened: list[Path] = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        opened.append(Path(file).resolve())
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    found = confine.scan(village / MAIN)
    monkeypatch.undo()
    assert len(found.breaches) == 1
    assert opened and all(path.is_relative_to(village) for path in opened), opened


def test_include_inside_the_village_through_dotdot_is_allowed(village: Path) -> None:
    append(village / "extra" / "notes.beancount", "; 备注 notes")
    append(village / MAIN, 'include "journal/../extra/./notes.beancount"')
    result = cunzhang("check", str(village))
    assert result.returncode == 0, result.stdout + result.stderr


# --- plugins, extensions, Fava options -----------------------------------------------


@pytest.mark.parametrize("where", ["main.beancount", "journal/2025.beancount"])
def test_insert_pythonpath_and_plugin_never_run(village: Path, where: str) -> None:
    ran = plant(village / Path(where).parent, "village_plugin")
    ledger = village / where
    line = append(ledger, 'option "insert_pythonpath" "TRUE"')
    append(village / MAIN, 'plugin "village_plugin"')
    assert_refused(village, ledger, line, "insert_pythonpath")
    assert not ran.exists()


#: Module names that look like allowed ones but are not.
IMPOSTORS = [
    "projectsevil",
    "projects_evil.plugin",
    "evil.projects",
    "beancount.pluginsevil",
    "fava.pluginsevil.x",
    "fava.ext.auto_commit",
    "fava.ext.fava_ext_test",
    "projects..checks",
    "projects.checks ",
]
#: Packages a test must not shadow on PYTHONPATH.
REAL = {"projects", "beancount", "fava"}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder on the commands' PYTHONPATH, as if its modules were installed."""
    folder = tmp_path / "site"
    folder.mkdir()
    return folder


def install(site: Path, name: str) -> Path | None:
    """A marker module ``name`` (packages made) in ``site``; None if it cannot be installed
    without shadowing a real package (then it cannot be imported, let alone run)."""
    *packages, module = name.split(".")
    if name.split(".")[0] in REAL or not name.isascii() or " " in name or "" in packages:
        return None
    for depth in range(len(packages)):
        init = site.joinpath(*packages[: depth + 1], "__init__.py")
        init.parent.mkdir(parents=True, exist_ok=True)
        init.touch()
    return plant(site.joinpath(*packages), module)


def never_ran(marker: Path | None) -> None:
    assert marker is None or not marker.exists()


@pytest.mark.parametrize("name", IMPOSTORS)
def test_plugin_not_on_the_allow_list_never_runs(village: Path, site: Path, name: str) -> None:
    ran = install(site, name)
    line = append(village / MAIN, f'plugin "{name}"')
    assert_refused(village, village / MAIN, line, name, env={"PYTHONPATH": str(site)})
    never_ran(ran)


@pytest.mark.parametrize("plugin", ["check_average_cost", "check_commodity", "commodity_attr"])
def test_eval_config_of_a_standard_plugin_must_be_a_literal(village: Path, plugin: str) -> None:
    ran = village / "eval.ran"
    code = f"__import__('pathlib').Path({str(ran)!r}).touch() or {{}}"
    line = append(village / MAIN, f'plugin "beancount.plugins.{plugin}" "{code}"')
    assert_refused(village, village / MAIN, line, "eval")
    assert not ran.exists()


def calls_eval(source: Path) -> bool:
    """Whether a module's code calls ``eval`` or ``exec``."""
    tree = ast.parse(source.read_text("utf-8"))
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"eval", "exec"}
        for node in ast.walk(tree)
    )


def test_every_allowed_plugin_that_evals_its_config_is_known() -> None:
    """EVAL_CONFIG lists every module of the allowed packages whose code calls eval()."""
    import beancount.plugins
    import fava.plugins

    import projects

    evaluating = set()
    for package in (beancount.plugins, fava.plugins, projects):
        folder = Path(package.__file__).parent
        for source in folder.rglob("*.py"):
            if calls_eval(source) and not source.stem.endswith("_test"):
                parts = source.relative_to(folder).with_suffix("").parts
                evaluating.add(".".join([package.__name__, *parts]))
    assert evaluating == confine.EVAL_CONFIG


@pytest.mark.parametrize("name", ["village_extension", *IMPOSTORS])
def test_fava_extension_not_on_the_allow_list_never_runs(
    village: Path, site: Path, name: str
) -> None:
    # Fava imports extensions with the ledger's folder first on sys.path.
    ran = plant(village, name) if name == "village_extension" else install(site, name)
    line = append(village / MAIN, f'2024-01-01 custom "fava-extension" "{name}"')
    assert_refused(village, village / MAIN, line, name, env={"PYTHONPATH": str(site)})
    never_ran(ran)


@pytest.mark.parametrize("key", ["import-config", "import_config"])
@pytest.mark.parametrize("where", ["importer.py", "{village}/importer.py", "../西河村/importer.py"])
def test_fava_import_config_is_refused(village: Path, key: str, where: str) -> None:
    value = where.format(village=village)
    ran = plant((village / value).parent, "importer")
    line = append(village / MAIN, f'2024-01-01 custom "fava-option" "{key}" "{value}"')
    assert_refused(village, village / MAIN, line, "import-config")
    assert not ran.exists()


@pytest.mark.parametrize(
    "directive",
    [
        'option "documents" "../西河村/documents"',
        'option "documents" "{tmp}"',
        '2024-01-01 custom "fava-option" "import-dirs" "../西河村"',
        '2024-01-01 custom "fava-option" "import-dirs" "{tmp}"',
        '2024-01-01 custom "fava-option" "default-file" "../西河村/main.beancount"',
        '2024-01-01 custom "fava-option" "default_file" "{tmp}/new.beancount"',
    ],
)
def test_paths_fava_reads_or_writes_stay_inside(
    village: Path, directive: str, tmp_path: Path
) -> None:
    line = append(village / MAIN, directive.format(tmp=tmp_path))
    assert_refused(village, village / MAIN, line, "在村账套之外")


# --- the county's allow-list ---------------------------------------------------------


@pytest.mark.parametrize("listed", ["county_rules", "county_rules.plugin", "other, county_rules"])
def test_county_allow_list_lets_its_plugin_run(village: Path, site: Path, listed: str) -> None:
    ran = install(site, "county_rules.plugin")
    assert ran is not None
    line = append(village / MAIN, 'plugin "county_rules.plugin"')
    env = {"PYTHONPATH": str(site)}
    assert_refused(village, village / MAIN, line, "county_rules.plugin", env=env)
    assert not ran.exists()
    result = cunzhang("check", str(village), env={**env, confine.ALLOW_ENV: listed})
    assert result.returncode == 0, result.stdout + result.stderr
    assert ran.read_text() == "plugin ran"


def test_county_allow_list_does_not_allow_insert_pythonpath(village: Path) -> None:
    ran = plant(village, "village_plugin")
    line = append(village / MAIN, 'option "insert_pythonpath" "TRUE"', 'plugin "village_plugin"')
    assert_refused(
        village,
        village / MAIN,
        line,
        "insert_pythonpath",
        env={confine.ALLOW_ENV: "village_plugin"},
    )
    assert not ran.exists()


# --- a served ledger that changes -----------------------------------------------------


def test_served_ledger_changed_into_an_attack_is_refused_on_reload(village: Path) -> None:
    ran = plant(village, "village_plugin")
    url_path = "/" + urllib.request.quote(slugify("青石镇 东山村")) + "/errors/"
    with serving(str(village)) as url:
        with urllib.request.urlopen(url + url_path) as response:
            assert response.status == 200
        line = append(
            village / MAIN,
            'option "insert_pythonpath" "TRUE"',
            'plugin "village_plugin"',
            f'include "../{OTHER}/private/secret.beancount"',
        )
        deadline = time.monotonic() + 60
        errors: list = []
        while time.monotonic() < deadline and len(errors) != 3:
            time.sleep(0.5)
            with urllib.request.urlopen(url + url_path) as response:
                html = response.read().decode("utf-8")
            data = re.search(r'id="ledger-data">(.*?)</script>', html, re.S)
            assert data
            errors = json.loads(data.group(1))["errors"]
        assert [error["source"]["lineno"] for error in errors] == [line, line + 1, line + 2]
        assert SECRET not in html
    assert not ran.exists()
