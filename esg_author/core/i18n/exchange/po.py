"""gettext PO: one entry per unit, msgctxt = unit id, msgid = source, msgstr = translation.

Markdown and esg-author tokens stay literal in the strings (PO editors have no inline tags); each
entry lists its codes in an extracted comment, `#. tokens: [[kpi:emp.total]] ** **`, and the
import checks that msgstr has exactly those codes, as msgfmt's python-brace-format check does for
`{placeholders}`. States: an empty msgstr is new, the fuzzy flag is needs-review, any other
translation is translated. The languages are in the header: Language (target) and
X-Source-Language. Reading uses Babel's PO parser with invalid entries refused. Control
characters are replaced by build_export() as for XLIFF and XLSX (see exchange/__init__.py), so
the three formats carry the same text.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

from esg_author import __version__
from esg_author.core.errors import ExchangeError
from esg_author.core.i18n.exchange import ExchangeDocument, ExchangeUnit
from esg_author.core.i18n.segments import code_texts
from esg_author.core.storage import atomic_write_text

MAX_BYTES = 50 * 1024 * 1024
_HEADER_RE = re.compile(r'^"(Language|X-Source-Language|Project-Id-Version): *([^"\\]*)\\n"$', re.MULTILINE)


def _quote(text: str) -> str:
    # A CR on its own would end the line for some PO editors; build_export() leaves none, but escape it anyway.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    pieces = [line + "\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{piece}"' for piece in pieces)


def to_text(document: ExchangeDocument) -> str:
    out = [
        f"# esg-author translation exchange: {document.source_lang} → {document.target_lang}",
        "# Keep msgctxt (the unit id) as it is. Keep the codes listed under \"tokens:\" exactly as",
        "# they are in msgstr: they are report values, links and formatting.",
        'msgid ""',
        'msgstr ""',
        f'"Project-Id-Version: {_header_value(document.original or "esg-author project")}\\n"',
        f'"Language: {document.target_lang}\\n"',
        f'"X-Source-Language: {document.source_lang}\\n"',
        '"MIME-Version: 1.0\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"',
        f'"X-Generator: esg-author {__version__}\\n"',
        "",
    ]
    for unit in document.units:
        codes = list(code_texts(unit.source).elements())
        if codes:
            out.append("#. tokens: " + " ".join(codes))
        out.extend("#. " + note for note in unit.notes if not note.startswith("Keep these codes"))
        out.append(f"#: {unit.section_id}")
        if unit.state == "needs-review" and unit.target.strip():
            out.append("#, fuzzy")
        out.append(f"msgctxt {_quote(unit.id)}")
        out.append(f"msgid {_quote(unit.source)}")
        out.append(f"msgstr {_quote(unit.target if unit.target.strip() else '')}")
        out.append("")
    return "\n".join(out)


def _header_value(text: str) -> str:
    return re.sub(r'["\\\n]', " ", text)


def write(document: ExchangeDocument, path: Path) -> None:
    atomic_write_text(path, to_text(document))


def read(path: Path) -> ExchangeDocument:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ExchangeError(path, None, f"the file is {size // (1024 * 1024)} MB; at most {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ExchangeError(path, None, f"not UTF-8 text (byte {exc.start})") from exc
    headers = {key: value.strip() for key, value in _HEADER_RE.findall(text[:4000])}
    if "Language" not in headers or "X-Source-Language" not in headers:
        raise ExchangeError(path, None, "the PO header needs Language and X-Source-Language (export the file from esg-author)")
    try:
        catalog = read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as exc:
        raise ExchangeError(path, None, f"not a valid PO file: {exc}") from exc
    document = ExchangeDocument(headers["X-Source-Language"], headers["Language"], original=headers.get("Project-Id-Version", ""))
    for message in catalog:
        if not message.id:
            continue  # the header
        source = message.id if isinstance(message.id, str) else message.id[0]
        target = message.string if isinstance(message.string, str) else (message.string[0] if message.string else "")
        state = "new" if not target.strip() else ("needs-review" if message.fuzzy else "translated")
        document.units.append(ExchangeUnit(message.context or f"(no msgctxt) {source[:30]}", source, target or "", state))
    return document
