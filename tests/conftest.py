"""Shared fixtures: the CLI, the demo township, a real Fava server and headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from projects.layout import EMBEDDED_LEDGERS
from scripts.cli import main

DEMO = EMBEDDED_LEDGERS / "青石镇"
CUNZHANG = Path(sys.executable).with_name("cunzhang")


def copy_demo(township: Path) -> Path:
    """A copy of the demo township at ``township``, without Beancount's load caches: a
    copied ``.main.beancount.picklecache`` names the original files and would load them."""
    shutil.copytree(DEMO, township, ignore=shutil.ignore_patterns("*.picklecache"))
    return township


def run_cli(*args: str, ledgers: Path | None = None) -> Result:
    """Run ``cunzhang`` in-process; stdout and stderr are kept apart."""
    prefix = ["--ledgers", str(ledgers)] if ledgers else []
    return CliRunner().invoke(main, [*prefix, *args], catch_exceptions=False)


@pytest.fixture
def ledgers(tmp_path: Path) -> Path:
    """An empty ledgers folder."""
    folder = tmp_path / "ledgers"
    folder.mkdir()
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    """Wait until ``url`` answers, failing with the server's output if it dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"cunzhang serve exited with {process.returncode}:\n{out}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"cunzhang serve did not answer at {url} within {timeout}s")


@pytest.fixture(scope="session")
def demo_server() -> Iterator[str]:
    """``cunzhang serve`` over the demo township on a free loopback port; yields its URL."""
    with serving(str(DEMO)) as url:
        yield url


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        pytest.fail("Debian's chromium is not installed: run the README's test command")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


# --- Fava for auditors: a hand-written township served with --auth ---------------------

AUDITOR_PASSWORD = "auditor-secret-1"


@contextmanager
def serving(*args: str, ledgers: Path | None = None) -> Iterator[str]:
    """``cunzhang serve ARGS`` on a free loopback port until the block ends; yields its URL."""
    port = free_port()
    prefix = ["--ledgers", str(ledgers)] if ledgers else []
    process = subprocess.Popen(
        [str(CUNZHANG), *prefix, "serve", *args, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/static/favicon.ico", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def township(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ledgers folder of tests/favatown.py's 测试镇 (甲村, 乙村), with an auth file
    granting ``town`` the township and ``jia`` only 甲村 (password AUDITOR_PASSWORD)."""
    from tests.favatown import write_township

    ledgers = tmp_path_factory.mktemp("fava") / "ledgers"
    write_township(ledgers)
    for name, grant in (("town", "测试镇"), ("jia", "测试镇/甲村")):
        result = CliRunner().invoke(
            main,
            [
                "user",
                "add",
                str(ledgers / "users.json"),
                name,
                "--grant",
                grant,
                "--password-stdin",
            ],
            input=AUDITOR_PASSWORD + "\n",
        )
        assert result.exit_code == 0, result.output
    return ledgers


@pytest.fixture(scope="session")
def township_server(township: Path) -> Iterator[str]:
    """``cunzhang serve 测试镇 --auth users.json`` on a free loopback port; yields its URL."""
    with serving("测试镇", "--auth", str(township / "users.json"), ledgers=township) as url:
        yield url
