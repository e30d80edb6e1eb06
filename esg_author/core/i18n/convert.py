"""zh-Hant ⇄ zh-Hans conversion with OpenCC, at phrase level, with protected terms.

What OpenCC does (opencc 1.4, measured; see docs/translation.md): it converts characters and, in
the configs ending in "p", a list of phrases. For Hong Kong text (meta.options["zh_variant"] =
"hk", the default) esg-author uses hk2sp / s2hkp; for Taiwan text ("tw") tw2sp / s2twp. Only the
Taiwan tables localise much vocabulary (软件 → 軟體, 网络 → 網路); the Hong Kong ones change
characters and a few phrases (伺服器 ⇄ 服务器). OpenCC does not know the report's own words, and
its phrase tables can change meaning: tw2sp turns 程序 ("procedure", the HKEX wording) into 进程
("process"), s2twp turns it into 程式 ("program"), 界面新闻 into 介面新聞 and 发布 into 釋出.

So before OpenCC runs, esg-author takes out what must not be converted and puts it back after:

1. esg-author tokens, inline code, fenced code, link and image targets, URLs, e-mail addresses
   and `:::` container keywords come back exactly as they were;
2. protected glossary terms (Project.glossary) come back as the form the glossary gives for the
   target language (持份者 → 利益相关方 if the glossary says so), or, without a target form,
   converted character by character only (hk2s / s2hk, tw2s / s2tw), never phrase by phrase;
3. a few built-in words OpenCC is known to mistranslate are treated like protected terms.

Corner brackets 「」『』 become “”‘’ in Simplified text and back (meta.options["zh_quotes"] =
"keep" turns that off). Conversion is one-way and not lossless: the converted text is marked
"needs review" and a person reviews it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from esg_author.core.commands import Command, CompositeCommand, SetTranslation
from esg_author.core.errors import EsgAuthorError, ModelError
from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.segments import PROTECTED_RE, retarget_assets
from esg_author.core.i18n.translation_units import is_empty, text_fingerprint, unit_status
from esg_author.core.model import GlossaryTerm, Project
from esg_author.core.model.options import ZH_VARIANTS

CHINESE = ("zh-Hant", "zh-Hans")
VARIANTS = ZH_VARIANTS  # meta.options["zh_variant"], defined with every option in core/model/options.py
DEFAULT_VARIANT = "hk"

# (variant, from, to) → (phrase-level config, character-level config). The phrase-level "…p"
# configs for Hong Kong exist since OpenCC 1.2; the character-level ones are the fallback.
_CONFIGS = {
    ("hk", "zh-Hant", "zh-Hans"): ("hk2sp", "hk2s"),
    ("hk", "zh-Hans", "zh-Hant"): ("s2hkp", "s2hk"),
    ("tw", "zh-Hant", "zh-Hans"): ("tw2sp", "tw2s"),
    ("tw", "zh-Hans", "zh-Hant"): ("s2twp", "s2tw"),
}

# Words OpenCC's tables get wrong for ESG reports; None keeps the word, converted character by
# character. 著 as the aspect particle ("zhe") is written 着 in Simplified, but hk2sp reads it as
# 著 ("zhù"), so a few common words with it are listed (not 有著/本著: 有著作, 本著作 exist).
_BUILTIN: dict[tuple[str, str], dict[str, str | None]] = {
    ("zh-Hant", "zh-Hans"): {
        "程序": None, "幫助": None, "界面": None, "發佈": None, "發布": None,
        "隨著": "随着", "著手": "着手", "接著": "接着", "意味著": "意味着", "憑著": "凭着", "朝著": "朝着",
        "向著": "向着", "沿著": "沿着", "藉著": "借着", "著重": "着重", "著眼": "着眼", "著力": "着力", "著想": "着想",
    },
    ("zh-Hans", "zh-Hant"): {"程序": None, "帮助": None, "界面": None, "发布": None},
}

_QUOTES_TO_HANS = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})
_DOUBLE_QUOTED = re.compile(r"“([^“”\n]*)”")
_SINGLE_QUOTED = re.compile(r"‘([^‘’\n]*)’")


def zh_variant(project: Project) -> str:
    variant = str(project.meta.options.get("zh_variant") or DEFAULT_VARIANT)
    if variant not in VARIANTS:
        raise ModelError(f"zh_variant must be one of {', '.join(VARIANTS)}, not {variant!r}")
    return variant


def _opencc_module() -> Any:
    try:
        import opencc
    except ImportError as exc:  # the C++ binding is a dependency; say so instead of a traceback
        raise EsgAuthorError(f"Chinese conversion needs the 'opencc' package: {exc}") from exc
    return opencc


def _available_configs() -> set[str]:
    return {name.removesuffix(".json") for name in getattr(_opencc_module(), "CONFIGS", [])}


@lru_cache(maxsize=16)
def _opencc(config: str) -> Callable[[str], str]:
    return _opencc_module().OpenCC(config).convert


def configs_for(variant: str, from_lang: str, to_lang: str) -> tuple[str, str]:
    """(phrase-level config, character-level config) for one direction."""
    try:
        phrase, characters = _CONFIGS[(variant, from_lang, to_lang)]
    except KeyError:
        raise ModelError(f"cannot convert {from_lang} to {to_lang}: only zh-Hant ⇄ zh-Hans is automatic") from None
    available = _available_configs()
    if available and phrase not in available:  # an old OpenCC without the Hong Kong phrase configs
        phrase = characters
    return phrase, characters


class Converter:
    """Converts Markdown text from one Chinese script to the other (see the module docstring)."""

    def __init__(self, from_lang: str, to_lang: str, variant: str = DEFAULT_VARIANT,
                 glossary: Iterable[GlossaryTerm] = (), convert_quotes: bool = True,
                 assets: Collection[str] = ()) -> None:
        self.from_lang, self.to_lang = from_lang, to_lang
        self.assets = set(assets)
        phrase, characters = configs_for(variant, from_lang, to_lang)
        self.config = phrase
        self._convert = _opencc(phrase)
        self._characters = _opencc(characters)
        self.convert_quotes = convert_quotes
        terms: dict[str, str] = {}
        for source, target in _BUILTIN[(from_lang, to_lang)].items():
            terms[source] = target if target is not None else self._characters(source)
        for term in glossary:  # the project's glossary wins over the built-in words
            source = term.forms.get(from_lang, "").strip()
            if term.protected and source:
                target = term.forms.get(to_lang, "").strip()
                terms[source] = target or self._characters(source)
        self.terms = terms
        # Longest first, so 環境、社會及管治 is matched before 管治.
        self._term_re = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))) if terms else None

    def convert(self, text: str) -> str:
        if not text:
            return text
        slots = _Slots(text)
        protected = PROTECTED_RE.sub(lambda m: slots.put(self._retarget(m.group(0))), text)
        if self._term_re is not None:
            protected = self._term_re.sub(lambda m: slots.put(self.terms[m.group(0)]), protected)
        if self.convert_quotes:
            protected = self._quotes(protected)
        return slots.restore(self._convert(protected))

    def _retarget(self, code: str) -> str:
        return retarget_assets(code, self.from_lang, self.to_lang, self.assets) if "asset:" in code else code

    def _quotes(self, text: str) -> str:
        if self.to_lang == "zh-Hans":
            return text.translate(_QUOTES_TO_HANS)
        # Only paired curly quotes: a lone ’ is an apostrophe in embedded English.
        text = _DOUBLE_QUOTED.sub(r"「\1」", text)
        return _SINGLE_QUOTED.sub(r"『\1』", text)


class _Slots:
    """Placeholders of Private Use Area characters, which OpenCC passes through untouched."""

    def __init__(self, text: str) -> None:
        used = {ch for ch in text if "\ue000" <= ch <= "\uf8ff"}
        pairs = [(chr(a), chr(a + 1)) for a in range(0xE000, 0xE0FF, 2)]
        self.open, self.close = next((o, c) for o, c in pairs if o not in used and c not in used)
        self.values: list[str] = []
        self._re = re.compile(re.escape(self.open) + "([\ue100-\ue7ff]{2})" + re.escape(self.close))

    def put(self, value: str) -> str:
        n = len(self.values)
        self.values.append(value)
        return f"{self.open}{chr(0xE100 + n // 0x700)}{chr(0xE100 + n % 0x700)}{self.close}"

    def restore(self, text: str) -> str:
        def value(match: re.Match[str]) -> str:
            high, low = (ord(ch) - 0xE100 for ch in match.group(1))
            return self.values[high * 0x700 + low]

        return self._re.sub(value, text)


def converter_for(project: Project, from_lang: str, to_lang: str) -> Converter:
    quotes = str(project.meta.options.get("zh_quotes") or "convert") != "keep"
    return Converter(from_lang, to_lang, zh_variant(project), project.glossary, quotes, project.assets)


# -- converting a project ---------------------------------------------------------------------


@dataclass(frozen=True)
class SectionConversion:
    """What converting one section does. A skipped one says why: reason in English, message and
    params as a translatable message, skip as a code ("no-source", "source-language", "up-to-date",
    "in-review", "reviewed") for a caller that offers to convert it anyway (force)."""

    section_id: str
    action: str  # "converted" | "unchanged" | "skipped"
    reason: str = ""
    title: str = ""
    body: str = ""
    message: str = ""
    params: Mapping[str, str] = field(default_factory=dict)
    skip: str = ""


def _skipped(section_id: str, skip: str, message: str, **params: str) -> SectionConversion:
    return SectionConversion(section_id, "skipped", message.format(**params), message=message, params=params, skip=skip)


@dataclass
class ConversionResult:
    from_lang: str
    to_lang: str
    config: str
    sections: list[SectionConversion] = field(default_factory=list)
    command: Command | None = None

    @property
    def converted(self) -> list[SectionConversion]:
        return [s for s in self.sections if s.action == "converted"]


_KEPT = {  # unit state → why a text is kept unless conversion is forced
    "source": ("source-language", N_("{language} is the project's source language")),
    "up_to_date": ("up-to-date", N_("the {language} text is up to date")),
    "needs_review": ("in-review", N_("the {language} text is waiting for review")),
}


def convert_project(project: Project, from_lang: str, to_lang: str, section_ids: list[str] | None = None,
                    force: bool = False) -> ConversionResult:
    """Plan the conversion of section texts; result.command (None when nothing changes) applies it.

    Texts that are up to date or waiting for review are kept unless force is set, and so is a
    stale text that a person reviewed or translated (it has a recorded source and no review
    flag): reconverting it would replace the reviewer's wording everywhere, not only where the
    source changed. So a reviewer's work is never overwritten by accident. Every converted text
    records the source fingerprint and is marked "needs review".
    """
    if from_lang not in CHINESE or to_lang not in CHINESE or from_lang == to_lang:
        raise ModelError(f"cannot convert {from_lang} to {to_lang}: use zh-Hant and zh-Hans")
    converter = converter_for(project, from_lang, to_lang)
    result = ConversionResult(from_lang, to_lang, converter.config)
    ids = section_ids or [s.id for s, _ in project.walk()]
    commands: list[Command] = []
    for section_id in ids:
        section = project.section(section_id)
        source = section.texts.get(from_lang)
        if is_empty(source):
            result.sections.append(_skipped(section_id, "no-source", N_("no {language} text"), language=from_lang))
            continue
        assert source is not None
        current = section.texts.get(to_lang)
        state = unit_status(project, section_id, to_lang).state
        if not force and state in _KEPT:
            skip, message = _KEPT[state]
            result.sections.append(_skipped(section_id, skip, message, language=to_lang))
            continue
        reviewed = current is not None and bool(current.source_fingerprint) and not current.state
        if not force and state == "stale" and reviewed:
            result.sections.append(_skipped(
                section_id, "reviewed", N_("the reviewed {language} text is stale: edit it by hand, or convert it "
                                           "again, which replaces the reviewer's wording"), language=to_lang))
            continue
        title, body = converter.convert(source.title), converter.convert(source.body)
        fingerprint = text_fingerprint(source)
        if current is not None and (current.title, current.body, current.source_fingerprint, current.state) == \
                (title, body, fingerprint, "needs_review"):
            result.sections.append(SectionConversion(section_id, "unchanged", title=title, body=body))
            continue
        commands.append(SetTranslation(section_id, to_lang, from_lang, fingerprint, "needs_review", title, body))
        result.sections.append(SectionConversion(section_id, "converted", title=title, body=body))
    if commands:
        result.command = CompositeCommand(commands, f"Convert {from_lang} to {to_lang}")
    return result
