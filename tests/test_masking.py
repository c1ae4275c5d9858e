"""Masking personal numbers (``projects.masking.mask``) against generated spellings.

Every mobile, ID and bank card number is written every way people write it (groups,
separators, full-width digits, +86/0086, inside Chinese text) and must come out masked;
amounts, dates, years, codes and account names, and every text of the demo township, must
come out unchanged.
"""

from __future__ import annotations

import datetime
import itertools
import random
import re
from decimal import Decimal

import pytest
from beancount.core import data

from projects.ledger import load
from projects.masking import mask
from tests.conftest import DEMO

FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
#: Text around a number: it must survive around the masked number.
CONTEXTS = [
    "{}",
    "联系电话：{}。",
    "电话{}联系",
    "张三{}李四",
    "（{}）",
    "Tel: {}, 谢谢",
    "tel{}",
    "2024-01-05 {} 支付 1,234.50 元",
    "付款人 {} 凭证 记-001",
]
SPACINGS = [" ", "-", "\u3000", "\u00a0", " - ", "－", "  ", "\u2009"]


def digit_styles(number: str) -> list[str]:
    """ASCII, full-width and mixed (every other character full-width) digits."""
    wide = number.translate(FULLWIDTH)
    mixed = "".join(w if i % 2 else c for i, (c, w) in enumerate(zip(number, wide, strict=True)))
    return [number, wide, mixed]


def grouped(number: str, shape: tuple[int, ...], spacing: str) -> str:
    """The number cut into groups of these lengths, joined by ``spacing``."""
    assert sum(shape) == len(number)
    cuts = list(itertools.accumulate(shape))
    return spacing.join(number[a:b] for a, b in zip([0, *cuts], cuts, strict=False))


def spellings(number: str, shapes: list[tuple[int, ...]], prefixes: list[str]):
    """Every way of writing the number: shape × separator × digits × prefix × context."""
    for shape, spacing, prefix, context in itertools.product(shapes, SPACINGS, prefixes, CONTEXTS):
        if len(shape) == 1 and spacing != SPACINGS[0]:
            continue  # a plain number has no separator to vary
        for written in digit_styles(grouped(number, shape, spacing)):
            yield context.format(prefix + written), context


def normalised(text: str) -> str:
    """Digits as ASCII, X upper case, separators removed: how a reader would copy it."""
    text = re.sub(r"\d", lambda d: str(int(d[0])), text).upper().replace("Ｘ", "X")
    return "".join(c for c in text if c not in "".join(SPACINGS))


def leaks(number: str, masked: str) -> list[str]:
    """The runs of seven consecutive characters of the number still in the masked text."""
    plain = normalised(masked)
    number = number.upper()
    return [number[i : i + 7] for i in range(len(number) - 6) if number[i : i + 7] in plain]


def check(number: str, shapes, prefixes, expected: str) -> int:
    """Mask every spelling of the number; fail on a leak, a lost context or a wrong form."""
    count = 0
    for text, context in spellings(number, shapes, prefixes):
        masked = mask(text)
        before, after = context.split("{}")
        assert masked.startswith(before) and masked.endswith(after), (text, masked)
        assert not leaks(number, masked), (text, masked)
        assert expected in masked, (text, masked, expected)
        count += 1
    return count


def random_digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def random_mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + random_digits(rng, 9)


def random_id(rng: random.Random, old: bool = False) -> str:
    """A resident ID number: region, birth date, sequence (and check digit if not old)."""
    region = str(rng.randint(110000, 829999))
    born = datetime.date(1920, 1, 1) + datetime.timedelta(days=rng.randint(0, 32000))
    if old:
        return region + born.strftime("%y%m%d") + random_digits(rng, 3)
    return region + born.strftime("%Y%m%d") + random_digits(rng, 4)


MOBILE_SHAPES = [(11,), (3, 4, 4), (3, 8)]
MOBILE_PREFIXES = ["", "+86", "+86 ", "0086", "0086-", "86", "86 ", "(+86)", "+86-", "＋８６"]


def test_every_spelling_of_a_mobile_number_is_masked() -> None:
    rng = random.Random(11)
    count = 0
    for _ in range(6):
        number = random_mobile(rng)
        expected = f"{number[:3]}****{number[-4:]}"
        count += check(number, MOBILE_SHAPES, MOBILE_PREFIXES, expected)
    assert count > 10000


@pytest.mark.parametrize("last", ["0", "7", "X", "x"])
def test_every_spelling_of_an_id_number_is_masked(last: str) -> None:
    rng = random.Random(12)
    shapes = [(18,), (6, 8, 4), (6, 4, 4, 4), (4, 4, 4, 4, 2)]
    for _ in range(10):
        number = random_id(rng)[:17] + last
        check(number, shapes, [""], f"{number[:3]}{'*' * 11}{number[-4:].upper()}")


def test_every_spelling_of_an_old_15_digit_id_is_masked() -> None:
    rng = random.Random(15)
    for _ in range(10):
        number = random_id(rng, old=True)
        check(number, [(15,), (6, 6, 3)], [""], f"{number[:3]}{'*' * 8}{number[-4:]}")


def card_shapes(length: int) -> list[tuple[int, ...]]:
    """Plain; from 16 digits groups of four (the last shorter); 6-13, 4-6-5 and 4-6-4."""
    fours = [(4, 4, 4, 4) + ((length - 16,) if length > 16 else ())] if length >= 16 else []
    other = {19: [(6, 13)], 15: [(4, 6, 5)], 14: [(4, 6, 4)]}.get(length, [])
    return [(length,), *fours, *other]


@pytest.mark.parametrize("length", range(13, 20))
def test_every_spelling_of_a_bank_card_is_masked(length: int) -> None:
    rng = random.Random(length)
    for _ in range(4):
        number = rng.choice(["62", "4", "5", "9558"]) + random_digits(rng, length)
        number = number[:length]
        expected = f"{number[:4]}{'*' * (length - 8)}{number[-4:]}"
        check(number, card_shapes(length), [""], expected)


def amounts(rng: random.Random) -> list[str]:
    """Money as the disclosures and narrations write it."""
    found = []
    for digits in range(1, 11):
        value = Decimal(rng.randint(10 ** (digits - 1), 10**digits - 1)) / 100
        found += [f"{value:,.2f}", f"{value:.2f}", f"{-value:,.2f}", f"{value:,.2f}元"]
        found += [f"金额 {value:.2f} 元", f"{int(value):,}", f"{value:.2f}".translate(FULLWIDTH)]
    return found


def dates(rng: random.Random) -> list[str]:
    day = datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randint(0, 15000))
    end = day + datetime.timedelta(days=rng.randint(0, 400))
    formats = ["%Y-%m-%d", "%Y%m%d", "%Y年%m月%d日", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m"]
    found = [day.strftime(f) for f in formats]
    found += [f"{day:%Y-%m-%d}至{end:%Y-%m-%d}", f"{day:%Y-%m-%d} - {end:%Y-%m-%d}"]
    found += [f"{day:%Y%m%d}-{end:%Y%m%d}", f"{day:%Y-%m-%d} {end:%Y-%m-%d}"]
    return [*found, f"{day.year}", f"{day.year}-{end.year}", f"{day.year}、{end.year}年度"]


def codes(rng: random.Random) -> list[str]:
    """Account codes, vouchers, counts and serials that are nobody's number."""
    code = str(rng.randint(101, 599))
    sub = code + f"{rng.randint(1, 99):02d}"
    return [
        code,
        sub,
        sub + f"{rng.randint(1, 99):02d}",
        f"Assets:{code}-银行存款:{sub}-青石农商行",
        f"记-{rng.randint(1, 999):03d}",
        f"记字第{rng.randint(1, 300)}号",
        f"{rng.randint(1, 500)} 户 {rng.randint(1, 5000)} 人",
        f"第{rng.randint(1, 12)}期 {rng.randint(1, 99)}/{rng.randint(100, 999)}",
        f"{rng.randint(10**11, 10**12 - 1)}",  # twelve digits: no kind has that many
    ]


def test_amounts_dates_and_codes_are_left_alone() -> None:
    rng = random.Random(5)
    texts = []
    for _ in range(300):
        parts = amounts(rng) + dates(rng) + codes(rng)
        texts += parts
        texts.append("，".join(rng.sample(parts, 4)))  # several in one narration
        texts.append(" ".join(rng.sample(parts, 3)))
    changed = [(t, mask(t)) for t in texts if mask(t) != t]
    assert changed == []
    assert len(texts) > 20000


def test_texts_of_the_demo_township_are_left_alone() -> None:
    texts = set()
    for folder in sorted(p for p in DEMO.iterdir() if p.is_dir()):
        for entry in load(folder).entries:
            if isinstance(entry, data.Transaction):
                texts.update([entry.payee or "", entry.narration or ""])
                texts.update(p.account for p in entry.postings)
            elif isinstance(entry, data.Open):
                texts.add(entry.account)
            elif isinstance(entry, data.Custom):  # projects, funders, units, secretaries
                texts.update(v.value for v in entry.values if isinstance(v.value, str))
    assert len(texts) > 400
    assert [(t, mask(t)) for t in texts if mask(t) != t] == []


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话+8613812345678", "电话+86138****5678"),
        ("电话 +86 138 1234 5678。", "电话 +86 138****5678。"),
        ("１３８－１２３４－５６７８", "138****5678"),
        ("身份证 110105 19491231 002X", "身份证 110***********002X"),
        ("老身份证110105491231002", "老身份证110********1002"),
        ("卡号6222-0212-3456-7890付款", "卡号6222********7890付款"),
        ("2024-01-05 13812345678", "2024-01-05 138****5678"),
        ("13812345678x", "138****5678x"),
    ],
)
def test_masked_forms(text: str, masked: str) -> None:
    assert mask(text) == masked
