"""Printing a disclosure page to PDF with Debian's headless Chromium: searchable and small.

Chromium (Skia) embeds a TrueType font as a CID font with its text, but draws an OpenType
font with CFF outlines, such as Debian's Noto CJK (``fonts-noto-cjk``, a ``.ttc``), as
Type 3 glyphs: one picture per character, 600–840 KB for a quarter's sheet, and a text
layer that maps 山 to the radical ⼭ (the font gives both code points one glyph), so a
search for 东山村 fails. So before printing, ``embedded_fonts`` cuts the Noto CJK faces the
page needs down to the characters on the page, converts their outlines to TrueType
(``fontTools``: cu2qu) and puts them into the page as ``@font-face`` data; the text then
copies and searches as written. Chromium's tagged-PDF structure (one object per table
cell, half the file) is left out (``--disable-pdf-tagging``).
"""

from __future__ import annotations

import base64
import io
import os
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
    "--disable-pdf-tagging",
)
#: The family the embedded faces take; the style sheet names it first.
FAMILY = "cunzhang-cjk"
#: The Noto CJK faces embedded, by CSS weight (fontconfig finds their files).
FACES = {"normal": "Noto Sans CJK SC:style=Regular", "bold": "Noto Sans CJK SC:style=Bold"}
#: The ``maxp`` fields of TrueType that a font without hinting leaves at zero.
UNUSED_MAXP = [
    "maxPoints",
    "maxContours",
    "maxCompositePoints",
    "maxCompositeContours",
    "maxTwilightPoints",
    "maxStorage",
    "maxFunctionDefs",
    "maxInstructionDefs",
    "maxStackElements",
    "maxSizeOfInstructions",
    "maxComponentElements",
    "maxComponentDepth",
]
#: How far (in font units of 1000 per em) a converted curve may stray from the original.
TOLERANCE = 1.0


class PdfError(Exception):
    """No Chromium or no CJK font to print with; the message says how to install them."""


def chromium() -> str:
    """Debian's Chromium (or ``$CHROMIUM``); an error saying how to install it."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found:
        raise PdfError(
            "生成 PDF 需要 Debian 的 chromium: apt-get install -y chromium fonts-noto-cjk "
            "(或不要 pdf: --format html,xlsx,json)"
        )
    return found


@cache
def font_file(pattern: str) -> tuple[str, int]:
    """The file and face index fontconfig picks for ``pattern``; an error when it is not a
    Noto CJK face (the package is missing)."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}\n%{index}", pattern],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise PdfError(f"fontconfig (fc-match) 不可用: {error}") from error
    path, index = found.split("\n")
    if "NotoSansCJK" not in Path(path).name:
        raise PdfError(f"没有找到 {pattern} 字体: apt-get install -y fonts-noto-cjk")
    return path, int(index)


def truetype(font: TTFont) -> None:
    """Replace the CFF outlines of ``font`` by quadratic TrueType ones, in place."""
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, TOLERANCE, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for tag in ("CFF ", "VORG"):
        if tag in font:
            del font[tag]
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in UNUSED_MAXP:
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\0\1\0\0"


def face(pattern: str, text: str) -> bytes:
    """The face ``pattern`` cut down to the characters of ``text``, as TrueType."""
    path, index = font_file(pattern)
    font = TTFont(path, fontNumber=index, lazy=False)
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = True
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes={ord(c) for c in text})
    subsetter.subset(font)
    truetype(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def embedded_fonts(html: str) -> str:
    """``@font-face`` rules carrying the CJK faces cut to the characters of ``html``."""
    text = "".join(sorted(set(re.sub(r"<[^>]*>", "", html))))
    rules = []
    for weight, pattern in FACES.items():
        data = base64.b64encode(face(pattern, text)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
            f'src: url(data:font/ttf;base64,{data}) format("truetype"); }}'
        )
    return "\n".join(rules)


def print_pdf(html: str, pdf: Path) -> None:
    """Print an HTML page to an A4 PDF with headless Chromium (a throwaway profile), its
    CJK text in embedded TrueType faces."""
    page_html = html.replace("<style>", f"<style>\n{embedded_fonts(html)}\n", 1)
    with tempfile.TemporaryDirectory(prefix="cunzhang-chromium-") as scratch:
        page = Path(scratch) / "page.html"
        page.write_text(page_html, "utf-8")
        command = [
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(scratch) / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise PdfError(f"chromium 未能生成 {pdf.name}: {done.stderr.strip()[-500:]}")
