"""Script leakage: Simplified characters in zh-Hant text and Traditional characters in zh-Hans text.

Real reports leak (健康与安全 inside a Traditional report, seed-anatomy §6.4). A character c in
zh-Hant text is *Simplified-only* when OpenCC's s2t changes it and t2s leaves it alone
(s2t(c) ≠ c and t2s(c) = c: 与 → 與); the reverse test finds Traditional-only characters in
zh-Hans text (t2s(c) ≠ c and s2t(c) = c: 於 → 于). Some characters pass that test and are still
correct in the other script, because the Traditional character they map to is a *different* word
(若干 and 乾/幹, 平台 and 臺, 雇主 and 僱); they are in the allow-lists below. Findings are
warnings, since a proper name may use a character either way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache

from esg_author.core.findings import Finding, KpiTarget, SectionTarget, SettingTarget, Severity, TableTarget, Target
from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.segments import PROTECTED_RE
from esg_author.core.model import Project

# Valid in modern Traditional Chinese although s2t maps them elsewhere: 若干, 平台, 高峰, 群組,
# 秘書, 游泳, 批准, 征服, 佣金, 雇主, 公里, 占卜, 凶手, 山岳, 北斗, 朴(姓), 風采, 沉淀, 厘米,
# 呼吁, 吃飯, 嘴唇, 床位, 岩石, 恒生, 傑/杰(名), 棲/栖, 鰂魚涌, 白痴, 肥皂, 糉/粽, 蚝油, 霉菌,
# 郁(姓), 前仆後繼, 丑時, 咸(皆), 杠桿.
TRADITIONAL_ALLOWED = frozenset("干台峰群秘游准征佣雇里占凶岳斗朴采淀厘吁吃唇床岩恒杰栖涌痴皂粽蚝霉郁仆丑咸杠")
# Valid in Simplified Chinese although t2s maps them elsewhere (GB 2312 characters): 乾坤, 哪吒,
# 拚命, 捱, 摺, 規榘, 菸鹼酸, 菜薹, 袷, 醣, 麴(姓), 夥(多), 宮商角徵羽.
SIMPLIFIED_ALLOWED = frozenset("乾吒拚捱摺榘菸薹袷醣麴夥徵")

_LOOKS_CJK = ("\u3400", "\u9fff")


@lru_cache(maxsize=1)
def _converters() -> tuple[Callable[[str], str], Callable[[str], str]]:
    import opencc

    return opencc.OpenCC("s2t").convert, opencc.OpenCC("t2s").convert


@lru_cache(maxsize=65536)
def is_simplified_only(char: str) -> bool:
    s2t, t2s = _converters()
    return char not in TRADITIONAL_ALLOWED and s2t(char) != char and t2s(char) == char


@lru_cache(maxsize=65536)
def is_traditional_only(char: str) -> bool:
    s2t, t2s = _converters()
    return char not in SIMPLIFIED_ALLOWED and t2s(char) != char and s2t(char) == char


def foreign_characters(text: str, lang: str) -> Counter[str]:
    """The characters of the other script in a zh-Hant or zh-Hans text, with their counts."""
    test = is_simplified_only if lang == "zh-Hant" else is_traditional_only
    text = PROTECTED_RE.sub(" ", text)  # tokens, URLs and code are not prose
    return Counter(ch for ch in text if _LOOKS_CJK[0] <= ch <= _LOOKS_CJK[1] and test(ch))


def check_project(project: Project) -> list[Finding]:
    try:
        _converters()
    except ImportError:
        return [Finding(Severity.WARNING, "script.unverified",
                        N_("the “opencc” package is not installed, so mixed Traditional and Simplified text was not "
                           "checked"))]
    findings: list[Finding] = []
    for lang in ("zh-Hant", "zh-Hans"):
        if lang not in project.meta.languages:
            continue
        rule = "script.simplified-in-hant" if lang == "zh-Hant" else "script.traditional-in-hans"
        for target, part, text in _texts(project, lang):
            found = foreign_characters(text, lang)
            if not found:
                continue
            chars = "、".join(f"{ch}×{n}" if n > 1 else ch for ch, n in sorted(found.items(), key=lambda i: -i[1]))
            first = min(text.find(ch) for ch in found)
            context = text[max(0, first - 8):first + 9].replace("\n", " ")
            if part == "text" and isinstance(target, SectionTarget):  # aimed at the first one in the body
                target = SectionTarget(target.section_id, lang, first, first + 1)
            findings.append(Finding(Severity.WARNING, rule, _MESSAGES[lang][part], lang, target,
                                    {"characters": chars, "context": context}))
    return findings


# By the place of the text: a section's title and body are two fields; report details, KPI
# names and table titles are found from the target and the quoted context.
_MESSAGES = {
    "zh-Hant": {
        "title": N_("Simplified characters in the title: {characters} (e.g. “{context}”)"),
        "text": N_("Simplified characters in the text: {characters} (e.g. “{context}”)"),
        "other": N_("Simplified characters: {characters} (e.g. “{context}”)"),
    },
    "zh-Hans": {
        "title": N_("Traditional characters in the title: {characters} (e.g. “{context}”)"),
        "text": N_("Traditional characters in the text: {characters} (e.g. “{context}”)"),
        "other": N_("Traditional characters: {characters} (e.g. “{context}”)"),
    },
}


def _texts(project: Project, lang: str) -> Iterator[tuple[Target, str, str]]:
    """(target, part, text) of every piece of report text in one language; part is "title" or
    "text" for a section's title and body, "other" for the rest."""
    meta = project.meta
    for name in ("company", "short_name", "title"):
        value = getattr(meta, name).get(lang, "")
        if value:
            yield SettingTarget(name), "other", value
    for section, _depth in project.walk():
        text = section.texts.get(lang)
        if text is not None:
            if text.title:
                yield SectionTarget(section.id, lang), "title", text.title
            if text.body:
                yield SectionTarget(section.id, lang), "text", text.body
    for kpi in project.kpis.values():
        for value in (kpi.name.get(lang, ""), kpi.boundary.get(lang, "")):
            if value:
                yield KpiTarget(kpi.id), "other", value
    for table in project.tables.values():
        if table.title.get(lang):
            yield TableTarget(table.id), "other", table.title[lang]
        for note in table.notes:
            if note.get(lang):
                yield TableTarget(table.id), "other", note[lang]
