"""The one result type of every check: a Finding with a severity, a rule code and a place."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"  # the report is wrong or incomplete: `check` exits 1
    WARNING = "warning"  # probably wrong, worth a look
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    rule: str  # stable id, e.g. "text.missing", "token.unresolved", "font.coverage"
    message: str
    lang: str = ""
    location: str = ""  # section id, KPI id, template file … where to look

    def as_dict(self) -> dict[str, str]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    def one_line(self) -> str:
        where = " ".join(part for part in (self.location, f"[{self.lang}]" if self.lang else "") if part)
        return f"{self.severity.value}: {where + ': ' if where else ''}{self.message} ({self.rule})"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
