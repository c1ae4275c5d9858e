"""The demo villages' 成员名册: member households drawn with the seed, by 村民小组.

``data/members.toml`` gives the name pools. :func:`households` splits each 村民小组 of the
village profile (``Village.groups``: its members) into households whose shares (股数) are
their members, so a group's households add up to the group; the same seed gives the same
households. ``registers.registers_text`` declares them (README, 成员名册) in ``projects.beancount``;
the year's plan (``papers.plan_paper``) and its replay (``simulation.distribute``) give each
household its shares.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass
from pathlib import Path

from scripts.demo.profile import Village

DATA = Path(__file__).with_name("data") / "members.toml"
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Household:
    """A member household: its 成员编号, 户主, 村民小组 and shares (its members)."""

    id: str
    name: str
    group: str
    shares: int


def group_name(index: int) -> str:
    """The 村民小组 of ``Village.groups[index]``: 第一村民小组 …"""
    return f"第{NUMERALS[index]}村民小组"


def households(village: Village, seed: int) -> tuple[Household, ...]:
    """The village's households, by 村民小组, numbered M001 …"""
    with DATA.open("rb") as handle:
        pools = tomllib.load(handle)
    surnames, given, sizes = pools["surnames"][village.name], pools["given"], pools["sizes"]
    rng = random.Random(f"{seed}-{village.name}-成员名册")
    names: set[str] = set()
    found: list[Household] = []
    for index, members in enumerate(village.groups):
        left = members
        while left:
            shares = min(rng.choice(sizes), left)
            name = rng.choice(surnames) + rng.choice(given)
            while name in names:
                name = rng.choice(surnames) + rng.choice(given)
            names.add(name)
            found.append(Household(f"M{len(found) + 1:03d}", name, group_name(index), shares))
            left -= shares
    return tuple(found)
