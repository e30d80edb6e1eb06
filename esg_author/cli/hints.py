"""What the command line adds to the core's findings and problems: the command or option that
fixes them.

The core says what is wrong and what to do in the product's terms ("recompute the derived KPIs"),
because the desktop app shows the same messages; only here are commands and flags named.
"""

from __future__ import annotations

from esg_author.core.findings import Finding

FINDING_HINTS = {
    "kpi.derived_missing": "run `esg-author kpi recompute PROJECT --year {year}`",
    "kpi.derived": "run `esg-author kpi recompute PROJECT --year {year}`",
    "kpi.intensity": "run `esg-author kpi recompute PROJECT --year {year}`",
    "workbook.other-project": "use --force to import it anyway",
}
"""rule id → the command (or option) that acts on such a finding; {names} are the finding's params."""

CONVERSION_HINTS = {
    "up-to-date": "use --force to convert it again",
    "in-review": "use --force to convert it again",
    "reviewed": "use --force to convert it again; the review is lost",
}
"""SectionConversion.skip → how to convert the section anyway."""


def finding_hint(finding: Finding) -> str:
    hint = FINDING_HINTS.get(finding.rule, "")
    try:
        return hint.format(**finding.params)
    except (KeyError, IndexError):  # a finding of that rule without the parameter: no hint
        return ""


def with_hint(line: str, hint: str) -> str:
    """line, then the hint in brackets when there is one."""
    return f"{line} [{hint}]" if hint else line


def finding_line(finding: Finding) -> str:
    """A finding as one line for the terminal, with the command that fixes it when there is one."""
    return with_hint(finding.one_line(), finding_hint(finding))
