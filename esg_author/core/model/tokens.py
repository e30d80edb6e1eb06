"""The text syntax esg-author adds to Markdown: `[[kpi:ID]]`, `[[kpi:ID@YEAR]]`, `[[ref:ID]]`,
`[[table:ID]]` and `[[index:FRAMEWORK]]`. Every reader of section text finds tokens here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN_KINDS = ("kpi", "ref", "table", "index")
ID_CHARS = r"[A-Za-z0-9_.\-]+"
TOKEN_RE = re.compile(rf"\[\[({'|'.join(TOKEN_KINDS)}):({ID_CHARS})(?:@(\d{{4}}))?\]\]")


@dataclass(frozen=True)
class TextToken:
    kind: str  # one of TOKEN_KINDS
    target: str  # the KPI, section, table or framework id
    year: int | None  # [[kpi:ID@2023]]
    start: int  # character span in the text
    end: int


def find_tokens(text: str) -> list[TextToken]:
    """Every well-formed token of `text`, in order, with its character span."""
    return [TextToken(m.group(1), m.group(2), int(m.group(3)) if m.group(3) else None, m.start(), m.end())
            for m in TOKEN_RE.finditer(text)]
