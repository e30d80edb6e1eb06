"""The units KPIs are stored in, with their printed labels per report language.

A unit code is what the project stores (`tCO2e`, `MWh`, `person` …); the label is what a table
prints in each language. Seeds write 噸二氧化碳當量 in zh-Hant and tCO₂e in English, so labels are
data, not formatting.
"""

from __future__ import annotations

from esg_author.core.errors import ModelError

# code: (en, zh-Hant, zh-Hans)
_UNIT_LABELS: dict[str, tuple[str, str, str]] = {
    "t": ("tonnes", "噸", "吨"),
    "kg": ("kg", "千克", "千克"),
    "tCO2e": ("tCO₂e", "噸二氧化碳當量", "吨二氧化碳当量"),
    "tCO2e_per_person": ("tCO₂e/employee", "噸二氧化碳當量/人", "吨二氧化碳当量/人"),
    "tCO2e_per_rmb_million": ("tCO₂e/RMB million revenue", "噸二氧化碳當量/百萬元人民幣收入", "吨二氧化碳当量/百万元人民币收入"),
    "MWh": ("MWh", "兆瓦時", "兆瓦时"),
    "MWh_per_person": ("MWh/employee", "兆瓦時/人", "兆瓦时/人"),
    "kWh": ("kWh", "千瓦時", "千瓦时"),
    "GJ": ("GJ", "吉焦", "吉焦"),
    "m3": ("m³", "立方米", "立方米"),
    "m3_per_person": ("m³/employee", "立方米/人", "立方米/人"),
    "t_per_person": ("tonnes/employee", "噸/人", "吨/人"),
    "kg_per_person": ("kg/employee", "千克/人", "千克/人"),
    "person": ("persons", "人", "人"),
    "percent": ("%", "%", "%"),
    "hour": ("hours", "小時", "小时"),
    "hour_per_person": ("hours/employee", "小時/人", "小时/人"),
    "day": ("days", "日", "日"),
    "case": ("cases", "宗", "起"),
    "company": ("suppliers", "家", "家"),
    "count": ("number", "個", "个"),
    "RMB": ("RMB", "人民幣元", "人民币元"),
    "RMB_thousand": ("RMB thousand", "人民幣千元", "人民币千元"),
    "RMB_million": ("RMB million", "人民幣百萬元", "人民币百万元"),
    "score": ("points", "分", "分"),
    "person_time": ("person-times", "人次", "人次"),
}
_LANG_INDEX = {"en": 0, "zh-Hant": 1, "zh-Hans": 2}


def unit_codes() -> list[str]:
    return list(_UNIT_LABELS)


def is_known_unit(code: str) -> bool:
    return code in _UNIT_LABELS


def unit_label(code: str, lang: str) -> str:
    try:
        labels = _UNIT_LABELS[code]
    except KeyError:
        raise ModelError(f"unknown unit {code!r}") from None
    return labels[_LANG_INDEX.get(lang, 0)]


def inline_unit_label(code: str, lang: str) -> str:
    """The unit as written after a number in running text ("1,234 tCO₂e", "2,612名僱員" is not
    attempted: Chinese text uses the table label)."""
    if code == "percent":
        return "%"
    return unit_label(code, lang)
