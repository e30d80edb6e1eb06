"""Font coverage: every character a report prints must be in one of the template's fonts.

Missing glyphs do not fail a WeasyPrint render — they print as boxes — so this check compares
the characters of each edition with the character maps of the fonts its template declares,
found through fontconfig. Results are cached per font file for the life of the process.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from functools import lru_cache
from html import unescape
from pathlib import Path

from fontTools.ttLib import TTFont

from esg_author.core.findings import Finding, Severity, TemplateTarget
from esg_author.core.i18n.catalogs import N_

logger = logging.getLogger(__name__)

_TAG_RE = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.DOTALL)
_IGNORED = {0x00AD, 0x200B, 0x200C, 0x200D, 0xFEFF}


def printed_characters(html: str) -> set[str]:
    """The characters a reader sees in an HTML edition (markup, scripts and spaces excluded)."""
    text = unescape(_TAG_RE.sub(" ", html))
    return {ch for ch in text if not ch.isspace() and ord(ch) >= 0x20 and ord(ch) not in _IGNORED}


@lru_cache(maxsize=64)
def font_faces(family: str) -> tuple[tuple[str, int], ...]:
    """(file, face index) of every installed face of a font family, via fontconfig."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    result = subprocess.run([fc_list, "--format", "%{file}|%{index}\n", f":family={family}"],
                            capture_output=True, text=True, check=False, timeout=30)
    faces = []
    for line in result.stdout.splitlines():
        file, _, index = line.rpartition("|")
        if file:
            faces.append((file, int(index or 0)))
    return tuple(sorted(set(faces)))


@lru_cache(maxsize=64)
def face_coverage(file: str, index: int) -> frozenset[int]:
    try:
        font = TTFont(file, fontNumber=index, lazy=True)
        cmap = font.getBestCmap() or {}
        font.close()
    except Exception as exc:  # noqa: BLE001 - a broken font file is reported, not fatal
        logger.warning("Cannot read font %s: %s", file, exc)
        return frozenset()
    return frozenset(cmap)


def check_font_coverage(characters: set[str], families: tuple[str, ...], lang: str, template: str) -> list[Finding]:
    where = TemplateTarget(template)
    if shutil.which("fc-list") is None:
        return [Finding(Severity.WARNING, "font.unverified",
                        N_("fontconfig (fc-list) is not available, so font coverage was not checked"), lang, where)]
    findings: list[Finding] = []
    covered: set[int] = set()
    for family in families:
        faces = font_faces(family)
        if not faces:
            findings.append(Finding(Severity.WARNING, "font.not-installed",
                                    N_("font “{font}” declared by the template is not installed"), lang, where,
                                    {"font": family}))
        for file, index in faces:
            covered |= face_coverage(file, index)
    if not covered:
        findings.append(Finding(Severity.ERROR, "font.none",
                                N_("none of the template's fonts for {language} is installed ({fonts})"), lang, where,
                                {"language": lang, "fonts": ", ".join(families)}))
        return findings
    missing = sorted(ch for ch in characters if ord(ch) not in covered)
    if missing:
        sample = "".join(missing[:30])
        codes = ", ".join(f"U+{ord(ch):04X}" for ch in missing[:5])
        findings.append(Finding(Severity.ERROR, "font.coverage",
                                N_("characters not in the template's fonts, which would print as boxes ({count}): "
                                   "{characters} ({codes})"), lang, where,
                                {"count": len(missing), "characters": sample,
                                 "codes": codes + ("…" if len(missing) > 5 else "")}))
    return findings


def font_files_for(families: tuple[str, ...]) -> list[Path]:
    return [Path(file) for family in families for file, _ in font_faces(family)]
