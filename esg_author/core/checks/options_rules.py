"""Project options (meta.options) are free-form in the file; this check says when one is wrong.

Several readers fall back to a default for a value they do not understand (so a build never
stops for a typo in an option); without this check the typo would go unnoticed.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from esg_author.core.findings import Finding, SettingTarget, Severity
from esg_author.core.i18n.convert import VARIANTS
from esg_author.core.i18n.formatting import DATE_STYLES
from esg_author.core.model import LANGUAGES, Project

CHOICES: dict[str, tuple[object, ...]] = {
    "date_style": DATE_STYLES,
    "gri_claim": ("with_reference", "in_accordance"),
    "zh_variant": VARIANTS,
    "zh_quotes": ("convert", "keep"),
    "source_language": LANGUAGES,
    "bilingual_tables": (True, False),
}
KNOWN = (*CHOICES, "yoy_threshold")


def check_project(project: Project) -> list[Finding]:
    findings = []
    for key, value in project.meta.options.items():
        where = SettingTarget(f"option.{key}")
        if key not in KNOWN:
            findings.append(Finding(Severity.WARNING, "option.unknown",
                                    f"unknown project option {key!r} (known: {', '.join(KNOWN)}); it has no effect",
                                    target=where))
        elif key in CHOICES and value not in CHOICES[key]:
            choices = ", ".join(repr(c) for c in CHOICES[key])
            findings.append(Finding(Severity.ERROR, "option.value",
                                    f"project option {key} is {value!r}; use one of {choices}", target=where))
        elif key == "yoy_threshold" and not _is_threshold(value):
            findings.append(Finding(Severity.ERROR, "option.value",
                                    f"project option yoy_threshold is {value!r}; use a percentage such as 30 or \"30%\"",
                                    target=where))
    return findings


def _is_threshold(value: object) -> bool:
    if isinstance(value, bool):
        return False
    try:
        number = Decimal(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        return False
    return number.is_finite() and number > 0
