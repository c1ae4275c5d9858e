"""``--engine dask``: the township commands give the same answers on a dask cluster.

One real dask.distributed LocalCluster (worker processes) is shared by the module and
reached by its address, as a provincial agency would reach its cluster with
``--scheduler tcp://…``. Its workers see their own cache folder, so their results are
computed on the workers, not read from the local run's cache.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from distributed import LocalCluster

from tests.conftest import DEMO, copy_demo, run_cli

REPORTS = ("projects", "funds", "income", "secretaries")


@pytest.fixture(scope="module")
def worker_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("worker-cache")


@pytest.fixture(scope="module")
def scheduler(worker_cache: Path) -> Iterator[str]:
    """The address of a two-worker LocalCluster whose workers cache in ``worker_cache``."""
    before = os.environ.get("CUNZHANG_CACHE")
    os.environ["CUNZHANG_CACHE"] = str(worker_cache)  # inherited by the worker processes
    try:
        with LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster:
            yield cluster.scheduler_address
    finally:
        if before is None:
            os.environ.pop("CUNZHANG_CACHE", None)
        else:
            os.environ["CUNZHANG_CACHE"] = before


@pytest.fixture
def local_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The cache of the default (local) engine in this test, apart from the workers'."""
    monkeypatch.setenv("CUNZHANG_CACHE", str(tmp_path / "local-cache"))
    return tmp_path / "local-cache"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the demo township whose 东山村 posts to an account it never opened."""
    township = copy_demo(tmp_path / "ledgers" / "青石镇")
    with (township / "东山村" / "main.beancount").open("a", encoding="utf-8") as f:
        f.write('\n2024-06-01 * "坏分录"\n  Assets:999-不存在  1.00 CNY\n  Assets:101-库存现金\n')
    return township


def both(*args: str, scheduler: str) -> tuple:
    """``cunzhang ARGS`` on the default engine and on the cluster: (code, stdout, stderr)."""
    local = run_cli(*args)
    dask = run_cli(*args, "--engine", "dask", "--scheduler", scheduler)
    return (
        (local.exit_code, local.stdout, local.stderr),
        (dask.exit_code, dask.stdout, dask.stderr),
    )


@pytest.mark.parametrize("name", REPORTS)
def test_reports_on_the_cluster_equal_the_local_engine(
    name: str, scheduler: str, worker_cache: Path, local_cache: Path
) -> None:
    before = set(worker_cache.rglob("*.pickle"))
    local, dask = both("report", name, str(DEMO), "--format", "json", scheduler=scheduler)
    assert local[0] == 0, local
    assert dask == local
    assert '"合计"' in dask[1]
    # the four villages were computed on the workers, which cached them where they see
    assert len(set(worker_cache.rglob("*.pickle")) - before) == 4


def test_check_on_the_cluster_equals_the_local_engine(scheduler: str, broken: Path) -> None:
    local, dask = both("check", str(broken), scheduler=scheduler)
    assert dask == local
    code, out, err = dask
    assert err == ""  # findings and summaries are on stdout
    assert code == 1
    assert "Assets:999-不存在" in out and "main.beancount" in out
    assert "✗ 青石镇/东山村" in out and "✓ 青石镇/西河村" in out


def test_a_village_with_errors_stops_the_report_on_the_cluster_too(
    scheduler: str, broken: Path, local_cache: Path
) -> None:
    local, dask = both("report", "funds", str(broken), scheduler=scheduler)
    assert dask == local
    assert dask[0] == 1
    assert "青石镇/东山村 有" in dask[2] and "先运行 cunzhang check" in dask[2]


def test_disclosures_on_the_cluster_equal_the_local_engine(scheduler: str, tmp_path: Path) -> None:
    outputs = {}
    for engine in ("local", "dask"):
        out = tmp_path / engine
        args = ["disclose", str(DEMO), "--period", "2024Q4", "--posted", "2025-01-05"]
        args += ["--out", str(out), "--format", "html,json", "--engine", engine]
        if engine == "dask":
            args += ["--scheduler", scheduler]
        result = run_cli(*args)
        assert result.exit_code == 0, result.output
        outputs[engine] = {
            str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
        }
    assert outputs["dask"] == outputs["local"]
    assert "东山村/东山村-2024Q4.json" in outputs["dask"]


def test_export_on_the_cluster_equals_the_local_engine(scheduler: str, tmp_path: Path) -> None:
    local = run_cli("export", "--parquet", str(tmp_path / "local"), str(DEMO))
    engine = ["--engine", "dask", "--scheduler", scheduler]
    dask = run_cli("export", "--parquet", str(tmp_path / "dask"), str(DEMO), *engine)
    assert (local.exit_code, dask.exit_code) == (0, 0), dask.output
    local_table = pq.read_table(tmp_path / "local")
    dask_table = pq.read_table(tmp_path / "dask")
    assert dask_table.num_rows == local_table.num_rows > 0
    assert dask_table.equals(local_table)


def test_a_local_cluster_is_started_when_no_scheduler_is_given(local_cache: Path) -> None:
    local = run_cli("report", "income", str(DEMO), "--year", "2025")
    dask = run_cli("report", "income", str(DEMO), "--year", "2025", "--engine", "dask")
    assert (local.exit_code, dask.exit_code) == (0, 0), dask.output
    assert dask.stdout == local.stdout


def test_dask_not_installed_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    result = run_cli("check", str(DEMO), "--engine", "dask")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --engine dask 需要安装 dask")
    assert "pip install 'cunzhang[dask]'" in result.stderr
    assert "Traceback" not in result.output


def test_a_scheduler_needs_the_dask_engine() -> None:
    result = run_cli("check", str(DEMO), "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 1
    assert "--scheduler 只用于 --engine dask" in result.stderr
