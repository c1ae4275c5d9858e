"""Auditors' accounts for ``cunzhang serve --auth FILE``: ``cunzhang user add``.

The file is JSON, written with mode 0600; it never holds a password, only a salted scrypt
hash, and each user's grants: a township (``青石镇``), a village (``青石镇/东山村``) or
``*`` for every ledger served::

    {"users": {"张审计": {"password": "scrypt$16384$8$1$<salt>$<hash>",
                          "grants": ["青石镇/东山村"]}}}
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from projects import layout
from projects.files import replace
from scripts.village import VillageError, check_name

#: scrypt cost: 2**14 iterations, 16 MB, about 50 ms a check.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
EVERYTHING = "*"


def hash_password(password: str) -> str:
    """A salted scrypt hash: ``scrypt$n$r$p$salt$hash`` (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    encoded = (base64.b64encode(part).decode("ascii") for part in (salt, digest))
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), *encoded])


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored hash (compared in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        found = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return scheme == "scrypt" and hmac.compare_digest(found, expected)


@dataclass(frozen=True)
class User:
    name: str
    password: str  # the stored hash
    grants: frozenset[str]

    def may_see(self, village: Path) -> bool:
        """Whether the grants cover the village folder (``<乡镇>/<村>``)."""
        return bool({EVERYTHING, village.parent.name, layout.village_label(village)} & self.grants)


def read_users(path: Path) -> dict[str, User]:
    """The users of an auth file; ``ValueError`` for a file that is not one."""
    try:
        found = json.loads(path.read_text("utf-8"))["users"]
        return {
            name: User(name, entry["password"], frozenset(entry["grants"]))
            for name, entry in found.items()
        }
    except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} 不是 cunzhang 用户文件 (not a users file): {error}") from error


def write_users(path: Path, users: dict[str, User]) -> None:
    """Write the users atomically, readable by the owner only."""
    document = {
        "users": {
            u.name: {"password": u.password, "grants": sorted(u.grants)} for u in users.values()
        }
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    replace(path, text.encode("utf-8"), mode=0o600)


def check_grant(grant: str) -> str:
    """``乡镇``, ``乡镇/村`` or ``*``; a usage error otherwise."""
    parts = grant.strip("/").split("/")
    if grant != EVERYTHING:
        try:
            if len(parts) > 2:
                raise VillageError(f"“{grant}” 应写成 乡镇 或 乡镇/村")
            for part in parts:
                check_name(part, "乡镇或村")
        except VillageError as error:
            raise click.BadParameter(str(error), param_hint="--grant") from error
    return "/".join(parts) if grant != EVERYTHING else grant


@click.group("user")
def user() -> None:
    """审计人员账号 (users for cunzhang serve --auth)."""


@user.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("name")
@click.option(
    "--grant",
    "grants",
    multiple=True,
    required=True,
    help="可查看的乡镇或村: 青石镇 或 青石镇/东山村 (可重复; * 表示全部).",
)
@click.option(
    "--password-stdin", is_flag=True, help="从标准输入读密码 (read the password from stdin)."
)
def user_add(file: Path, name: str, grants: tuple[str, ...], password_stdin: bool) -> None:
    """添加或更新用户 (add or update a user); 密码只保存加盐哈希."""
    if not name.strip() or ":" in name:
        raise click.BadParameter("用户名不能为空, 也不能含有冒号 (:)", param_hint="NAME")
    checked = frozenset(check_grant(g) for g in grants)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("密码 password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        raise click.ClickException("密码至少 8 个字符 (password too short)")
    try:
        users = read_users(file) if file.exists() else {}
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    existed = name in users
    users[name] = User(name, hash_password(password), checked)
    write_users(file, users)
    action = "已更新 updated" if existed else "已添加 added"
    click.echo(f"{action}: {name} → {', '.join(sorted(checked))} ({file})")
