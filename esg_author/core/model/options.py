"""Project options (meta.options): the known keys and the values each accepts.

Options are free-form in the file, so that a project written by a newer esg-author, with an
option this one does not know, still opens. A known option with a value it does not accept is
an invalid project (core/model/validate.py), refused when it is set (the SetOption command) and
reported by `check` (checks/options_rules.py); an unknown one is only reported, as having no
effect. The readers of each option (formatting, conversion, checks) import their choices from
here, so the rules and the code that acts on them cannot drift apart.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from esg_author.core.model.project import LANGUAGES


def N_(message: str) -> str:
    """Mark a constant for extraction (the same marker as i18n.catalogs.N_, which sits above us)."""
    return message


DATE_STYLES = ("default", "numerals")
"""date_style: "default" prints 2025年12月31日 / 31 December 2025; "numerals" prints
二零二五年十二月三十一日 in the Chinese editions (HK formal style) and changes nothing in English."""

ZH_VARIANTS = ("hk", "tw")
"""zh_variant: the Traditional Chinese conventions zh-Hant ⇄ zh-Hans conversion follows."""

CHOICES: dict[str, tuple[object, ...]] = {
    "date_style": DATE_STYLES,
    "gri_claim": ("with_reference", "in_accordance"),
    "zh_variant": ZH_VARIANTS,
    "zh_quotes": ("convert", "keep"),
    "source_language": LANGUAGES,
    "bilingual_tables": (True, False),
}
"""Options that take one of a fixed set of values."""

KNOWN_OPTIONS = (*CHOICES, "yoy_threshold")

_HUNDRED = Decimal(100)


def yoy_threshold_fraction(value: object) -> Decimal | None:
    """The year-on-year threshold as a fraction (0.3 for ±30 %): 30, "30%", "12.5 %" and 0.3 all
    work; None when the value is not a positive finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        return None
    text = str(value).strip()
    try:
        number = Decimal(text.rstrip("%").strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number <= 0:
        return None
    return number / _HUNDRED if number > 1 or text.endswith("%") else number


def option_problem(key: str, value: object) -> tuple[str, dict[str, object]] | None:
    """Why a known option cannot take value, as (msgid, params), or None when it can (or the
    option is unknown: see KNOWN_OPTIONS)."""
    if key in CHOICES:
        # bool is a subclass of int: True must not pass for 1, nor 1 for True
        if not any(value == choice and type(value) is type(choice) for choice in CHOICES[key]):
            return N_("is not one of {choices}"), {"choices": ", ".join(repr(c) for c in CHOICES[key])}
    elif key == "yoy_threshold" and yoy_threshold_fraction(value) is None:
        return N_('is not a percentage such as 30 or "30%"'), {}
    return None
