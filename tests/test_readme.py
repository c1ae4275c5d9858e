"""The README's two set-up commands are the ones the project actually runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def block_after(marker: str) -> str:
    """The ```sh block following ``<!-- marker -->`` in README.md."""
    readme = (ROOT / "README.md").read_text("utf-8")
    found = re.search(rf"<!-- {marker} -->\s*```sh\n(.*?)\n```", readme, re.S)
    assert found, f"README.md has no sh block after <!-- {marker} -->"
    return found.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = block_after("test-command")
    assert "pytest" in command
    lines = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    assert command in lines


def test_the_main_command_serves_the_demo() -> None:
    assert block_after("main-command").endswith("cunzhang serve")
