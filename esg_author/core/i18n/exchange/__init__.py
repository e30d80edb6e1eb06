"""Translator exchange: section texts out to XLIFF / PO / XLSX unit by unit, and back in.

Export: every section's title is one unit, and every segment of its body (see segments.py) is
another. A unit id is "<section>/<segment index or 'title'>/<hash of the source wording>", so it
stays the same while the source does and tells on import whether the source changed since. A unit
carries its source, the current translation (when the target text has the source's structure)
and a state: new, translated, needs-review or final.

Import is per unit: good units are applied, bad ones are reported with the reason (changed or
missing inline code, unknown unit id, source changed since export, text that would break the
section's structure) and leave the project as it was; no unit is ever half applied. A section
records the current source fingerprint only when all of its units are translated from the current
source, so a partial import leaves it stale. The caller saves only when something changed.

Characters XML 1.0 forbids (control characters such as Word's manual line break U+000B, pasted
into a section) never reach a file: exchange_safe() turns U+000B, U+000C and a lone CR into a
line break (in paragraphs, list items and footnotes) or a space (titles, headings, table cells,
quotes), removes the others, and the unit says so in a note. PO and XLSX get the same text, so
the three formats agree. Translations read back are cleaned the same way.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from esg_author.core.commands import Command, CompositeCommand, SetTranslation
from esg_author.core.errors import ExchangeError, ModelError
from esg_author.core.findings import CellTarget, Finding, Severity
from esg_author.core.i18n.catalogs import N_
from esg_author.core.i18n.segments import (
    SegmentedBody,
    code_differences,
    code_texts,
    retarget_assets,
    segment_hash,
    split_body,
)
from esg_author.core.i18n.translation_units import fingerprint, is_empty, source_language
from esg_author.core.model import LANGUAGES, Project, Section, SectionText

UNIT_STATES = ("new", "translated", "needs-review", "final")
# Segment kinds that may span lines (see segments.py); the others are one line in the Markdown.
MULTILINE_KINDS = ("paragraph", "item", "footnote")
# XML 1.0 allows tab, LF, CR and U+0020 upwards except surrogates, U+FFFE and U+FFFF; openpyxl
# refuses the same C0 controls. U+000B/U+000C are line breaks (Word's manual line break, page
# break) and are mapped, not removed.
_XML_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS_RE = re.compile("[\x0b\x0c\r]")
FORMATS = ("xliff", "po", "xlsx")
SUFFIXES = {".xlf": "xliff", ".xliff": "xliff", ".po": "po", ".xlsx": "xlsx"}


@dataclass(frozen=True)
class ExchangeUnit:
    id: str
    source: str
    target: str = ""
    state: str = "new"
    notes: tuple[str, ...] = ()
    kind: str = ""  # title, paragraph, item, cell … (informative)

    @property
    def section_id(self) -> str:
        return self.id.rsplit("/", 2)[0]


@dataclass
class ExchangeDocument:
    source_lang: str
    target_lang: str
    units: list[ExchangeUnit] = field(default_factory=list)
    original: str = ""  # the project file name, for the translator's orientation


# -- export ---------------------------------------------------------------------------------------


def unit_id(section_id: str, position: int | str, source: str) -> str:
    return f"{section_id}/{position}/{segment_hash(source)}"


def build_export(project: Project, target_lang: str, source_lang: str | None = None,
                 section_ids: list[str] | None = None, original: str = "") -> ExchangeDocument:
    """The units of the chosen sections (default: all) for translating source_lang → target_lang."""
    source_lang = source_lang or source_language(project)
    for lang in (source_lang, target_lang):
        if lang not in LANGUAGES:
            raise ModelError(f"unknown language {lang!r}; use {', '.join(LANGUAGES)}")
    if source_lang == target_lang:
        raise ModelError(f"the source and target language are both {target_lang}")
    if target_lang == source_language(project):
        raise ModelError(f"{target_lang} is the project's source language; it is written, not translated "
                         "(change meta option source_language to translate into it)")
    document = ExchangeDocument(source_lang, target_lang, original=exchange_safe(original, multiline=False)[0])
    sections = [project.section(i) for i in section_ids] if section_ids else [s for s, _ in project.walk()]
    for section in sections:
        document.units.extend(_section_units(project, section, source_lang, target_lang))
    return document


def _section_units(project: Project, section: Section, source_lang: str, target_lang: str) -> list[ExchangeUnit]:
    source = section.texts.get(source_lang)
    if is_empty(source):
        return []
    assert source is not None
    target = section.texts.get(target_lang)
    current = target is not None and target.source_lang in (source_lang, None) \
        and target.source_fingerprint == fingerprint(source.title, source.body)
    state = "new"
    if not is_empty(target):
        assert target is not None
        state = "final" if current and target.state == "" else "needs-review"
    units: list[ExchangeUnit] = []
    if source.title.strip():
        title = target.title if target is not None else ""
        units.append(_unit(project, unit_id(section.id, "title", source.title), source.title, title,
                           state if title.strip() else "new", "title", target_lang))
    source_body = split_body(source.body)
    target_body = split_body(target.body) if target is not None else None
    paired = target_body is not None and target_body.structure() == source_body.structure()
    for segment in source_body.segments:
        text = target_body.segments[segment.index].text if paired and target_body is not None else ""
        units.append(_unit(project, unit_id(section.id, segment.index, segment.text), segment.text, text,
                           state if text.strip() else "new", segment.kind, target_lang))
    return units


def exchange_safe(text: str, multiline: bool = True) -> tuple[str, bool]:
    """text without the characters XML 1.0 forbids, and whether any had to be replaced.

    U+000B, U+000C (Word's manual line and page break) and a CR on its own become a line break
    where the text may span lines, else a space; other forbidden characters are removed. CRLF
    becomes LF without counting as a change (fingerprints ignore line ends too).
    """
    text = text.replace("\r\n", "\n")
    if not _BREAKS_RE.search(text) and not _XML_FORBIDDEN_RE.search(text):
        return text, False
    cleaned = _XML_FORBIDDEN_RE.sub("", _BREAKS_RE.sub("\n" if multiline else " ", text))
    return cleaned, True


def forbidden_character(text: str) -> str | None:
    """The first character of text that XML 1.0 (and so XLIFF and XLSX) cannot hold, or None."""
    match = _XML_FORBIDDEN_RE.search(text)
    return match.group() if match else None


def check_writable(document: ExchangeDocument, path: Path) -> None:
    """ExchangeError naming the unit when a text still holds a character XML 1.0 forbids.

    build_export() replaces such characters; this keeps a document built some other way from
    producing a file that is not well-formed (or an openpyxl traceback).
    """
    bad = forbidden_character(document.original)
    if bad is not None:
        raise ExchangeError(path, None, f"the project name holds the control character U+{ord(bad):04X}, "
                                        "which exchange files cannot hold")
    for unit in document.units:
        for what, text in (("id", unit.id), ("source", unit.source), ("target", unit.target),
                           *(("note", note) for note in unit.notes)):
            bad = forbidden_character(text)
            if bad is not None:
                raise ExchangeError(path, ascii(unit.id)[1:-1], f"the {what} holds the control character "
                                    f"U+{ord(bad):04X}, which exchange files cannot hold")


def _unit(project: Project, uid: str, source: str, target: str, state: str, kind: str, target_lang: str) -> ExchangeUnit:
    notes = []
    multiline = kind in MULTILINE_KINDS
    source, source_cleaned = exchange_safe(source, multiline)
    target, target_cleaned = exchange_safe(target, multiline)
    for what, cleaned in (("source text", source_cleaned), ("current translation", target_cleaned)):
        if cleaned:
            notes.append(f"The {what} holds control characters an exchange file cannot store (such as Word's "
                         f"manual line break); this file shows them as {'line breaks' if multiline else 'spaces'} "
                         "and leaves out any others.")
    codes = list(code_texts(source).elements())
    if codes:
        notes.append("Keep these codes unchanged: " + "  ".join(codes))
    for term in project.glossary:
        forms = [form for lang, form in term.forms.items() if form and lang != target_lang and _mentions(source, form)]
        if forms and term.forms.get(target_lang):
            notes.append(f"Glossary: {forms[0]} → {term.forms[target_lang]}" + (f" ({term.note})" if term.note else ""))
    return ExchangeUnit(uid, source, target, state, tuple(exchange_safe(note)[0] for note in notes), kind)


def _mentions(text: str, form: str) -> bool:
    """Whether a glossary form occurs in text; Latin forms only as whole words ("app" ≠ "approach")."""
    if form.isascii():
        return re.search(r"(?<![A-Za-z])" + re.escape(form) + r"(?![A-Za-z])", text) is not None
    return form in text


# -- import ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitProblem:
    """Why a unit of the file was not applied: message is an English msgid, params fill it."""

    unit_id: str
    message: str
    params: Mapping[str, str | int] = field(default_factory=dict)

    @property
    def reason(self) -> str:
        """The message in English, placeholders filled."""
        return self.message.format(**self.params) if self.params else self.message

    def one_line(self) -> str:
        return f"unit {self.unit_id}: {self.reason}"

    def finding(self, path: Path, lang: str = "") -> Finding:
        """As a finding aimed at the unit in the file (the cell of a unit is its id)."""
        return Finding(Severity.ERROR, "exchange.unit", self.message, lang, CellTarget(path.name, "", self.unit_id),
                       self.params)


@dataclass
class ImportReport:
    path: Path
    source_lang: str
    target_lang: str
    applied: list[str] = field(default_factory=list)  # unit ids whose text or state changed
    unchanged: int = 0
    untranslated: int = 0  # units with an empty target: nothing to import
    problems: list[UnitProblem] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)  # sections whose text changed
    command: Command | None = None

    @property
    def changed(self) -> bool:
        return self.command is not None

    @property
    def findings(self) -> list[Finding]:
        return [problem.finding(self.path, self.target_lang) for problem in self.problems]


def apply_import(project: Project, document: ExchangeDocument, path: Path | str = "") -> ImportReport:
    """Check every unit of a read exchange file; report.command applies the good ones (or is None)."""
    path = Path(path)
    for lang in (document.source_lang, document.target_lang):
        if lang not in LANGUAGES:
            raise ExchangeError(path, None, f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    if document.source_lang == document.target_lang:
        raise ExchangeError(path, None, f"the source and target language are both {document.target_lang}")
    if document.target_lang == source_language(project):
        raise ExchangeError(path, None, f"the file translates into {document.target_lang}, the project's source language")
    report = ImportReport(path, document.source_lang, document.target_lang)
    by_section: dict[str, list[ExchangeUnit]] = defaultdict(list)
    seen: set[str] = set()
    for unit in document.units:
        if unit.id in seen:
            report.problems.append(UnitProblem(unit.id, N_("the unit appears twice in the file; the first one was used")))
            continue
        seen.add(unit.id)
        parts = unit.id.rsplit("/", 2)
        if len(parts) != 3 or not project.has_section(parts[0]):
            report.problems.append(UnitProblem(unit.id, N_("unknown unit id: no such section in the project")))
            continue
        by_section[parts[0]].append(unit)
    commands: list[Command] = []
    for section in project.sections:  # in project order, so the undo history reads naturally
        if section.id in by_section:
            command = _import_section(section, by_section[section.id], document, report, set(project.assets))
            if command is not None:
                commands.append(command)
                report.sections.append(section.id)
    if commands:
        report.command = CompositeCommand(commands, f"Import {document.target_lang} translation")
    return report


def _import_section(section: Section, units: list[ExchangeUnit], document: ExchangeDocument,
                    report: ImportReport, assets: set[str]) -> Command | None:
    source_lang, target_lang = document.source_lang, document.target_lang
    source = section.texts.get(source_lang) or SectionText()
    target = section.texts.get(target_lang)
    source_body = split_body(source.body)
    pieces: dict[str, str] = {str(s.index): s.text for s in source_body.segments}
    if source.title.strip():
        pieces["title"] = source.title
    good: dict[str, ExchangeUnit] = {}
    kinds = {str(s.index): s.kind for s in source_body.segments}
    for unit in units:
        _section, position, digest = unit.id.rsplit("/", 2)
        # A PO or XLSX file can bring control characters back; they never enter the project.
        cleaned = exchange_safe(unit.target, kinds.get(position) in MULTILINE_KINDS)[0]
        unit = ExchangeUnit(unit.id, unit.source, cleaned, unit.state, unit.notes, unit.kind)
        reason = _unit_problem(unit, position, digest, pieces, source_body)
        if reason == "":
            report.untranslated += 1
        elif reason is not None:
            report.problems.append(UnitProblem(unit.id, *reason))
        else:
            target_text = retarget_assets(unit.target, source_lang, target_lang, assets)
            good[position] = ExchangeUnit(unit.id, unit.source, target_text, unit.state, unit.notes, unit.kind)
    current_fp = fingerprint(source.title, source.body)
    target_body = split_body(target.body) if target is not None else None
    structure_ok = target_body is not None and target_body.structure() == source_body.structure()
    was_current = target is not None and not is_empty(target) and target.source_fingerprint == current_fp \
        and target.source_lang in (source_lang, None)
    body_units = {int(p): u for p, u in good.items() if p != "title"}
    new_body = target.body if target is not None else ""
    if body_units:
        if structure_ok and target_body is not None:
            new_body = target_body.assemble({i: u.target for i, u in body_units.items()})
        elif len(body_units) == len(source_body.segments):
            new_body = source_body.assemble({i: u.target for i, u in body_units.items()})
        else:
            missing = len(source_body.segments) - len(body_units)
            for index, unit in sorted(body_units.items()):
                report.problems.append(UnitProblem(unit.id, N_(
                    "not applied: the section's {language} text does not have the source's structure, so all "
                    "{count} of its body units must be translated together ({missing} missing)"),
                    {"language": target_lang, "count": len(source_body.segments), "missing": missing}))
                good.pop(str(index))
            body_units = {}
    title_unit = good.get("title")
    new_title = title_unit.target if title_unit is not None else (target.title if target is not None else "")
    covered = set(good) == set(pieces)
    new_fp = current_fp if covered or was_current else (target.source_fingerprint if target is not None else None)
    # A CAT tool may leave a translated unit "new"; only an explicit needs-review asks for review.
    review = any(u.state == "needs-review" for u in good.values())
    if not covered and target is not None and target.state == "needs_review":
        review = True
    new_state = "needs_review" if review else ""
    old_state = target.state if target is not None else None
    for position, unit in good.items():
        before = None
        if target is not None and position == "title":
            before = target.title
        elif structure_ok and target_body is not None and position != "title":
            before = target_body.segments[int(position)].text
        if before == unit.target and old_state == new_state:
            report.unchanged += 1
        else:
            report.applied.append(unit.id)
    old = (target.title, target.body, target.source_fingerprint, target.state) if target is not None else None
    if old == (new_title, new_body, new_fp, new_state) or not good:
        return None
    new_source_lang = source_lang if new_fp == current_fp else (target.source_lang if target is not None else None)
    return SetTranslation(section.id, target_lang, new_source_lang, new_fp, new_state, new_title, new_body)


_Reason = tuple[str, dict[str, str | int]]  # a msgid and its parameters


def _unit_problem(unit: ExchangeUnit, position: str, digest: str, pieces: dict[str, str],
                  source_body: SegmentedBody) -> _Reason | str | None:
    """None for a good unit, "" for one without a translation, else why it cannot be applied."""
    if position not in pieces:
        return N_("unknown unit id: the section has no such segment"), {}
    if segment_hash(pieces[position]) != digest:
        return N_("the source text changed since the file was exported; export again and translate the new text"), {}
    if unit.state not in UNIT_STATES:
        return (N_("unknown state {state}; expected one of {states}"),
                {"state": repr(unit.state), "states": ", ".join(UNIT_STATES)})
    if not unit.target.strip():
        return ""
    missing, unexpected = code_differences(pieces[position], unit.target)
    if missing and unexpected:
        return (N_("inline codes differ from the source: missing or changed {missing}; unexpected {unexpected}"),
                {"missing": ", ".join(missing), "unexpected": ", ".join(unexpected)})
    if missing:
        return N_("inline codes differ from the source: missing or changed {missing}"), {"missing": ", ".join(missing)}
    if unexpected:
        return N_("inline codes differ from the source: unexpected {unexpected}"), {"unexpected": ", ".join(unexpected)}
    if position == "title":
        return (N_("a title must be one line"), {}) if "\n" in unit.target.strip() else None
    index = int(position)
    trial = source_body.assemble({index: unit.target})
    if split_body(trial).structure() != source_body.structure():
        return (N_("the translation would change the structure of the text (a blank line, list marker, table pipe "
                   "or heading mark)"), {})
    return None


# -- files ----------------------------------------------------------------------------------------


def format_for(path: Path, requested: str | None = None) -> str:
    """The exchange format of a file: as requested, from its suffix, or from its first bytes."""
    if requested:
        if requested not in FORMATS:
            raise ExchangeError(path, None, f"unknown format {requested!r}; use {', '.join(FORMATS)}")
        return requested
    by_suffix = SUFFIXES.get(path.suffix.lower())
    if by_suffix:
        return by_suffix
    try:
        head = path.read_bytes()[:512]
    except OSError as exc:
        raise ExchangeError(path, None, f"cannot read the file: {exc.strerror or exc}") from exc
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if b"<xliff" in head or head.lstrip().startswith(b"<?xml"):
        return "xliff"
    if b"msgid" in head or head.lstrip().startswith(b"#"):
        return "po"
    raise ExchangeError(path, None, "not an XLIFF, PO or XLSX file (use the .xlf, .po or .xlsx suffix)")


def _module(fmt: str) -> tuple[Callable[[ExchangeDocument, Path], None], Callable[[Path], ExchangeDocument]]:
    if fmt == "xliff":
        from esg_author.core.i18n.exchange import xliff as module
    elif fmt == "po":
        from esg_author.core.i18n.exchange import po as module  # type: ignore[no-redef]
    else:
        from esg_author.core.i18n.exchange import xlsx as module  # type: ignore[no-redef]
    return module.write, module.read


def write_exchange_file(document: ExchangeDocument, path: Path, fmt: str | None = None) -> str:
    """Write the document (atomically) in the requested format or the one its suffix names."""
    fmt = fmt or SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ExchangeError(path, None, "say which format to write (--format xliff|po|xlsx) or use a .xlf, .po or .xlsx name")
    write, _read = _module(format_for(path, fmt))
    write(document, path)
    return fmt


def read_exchange_file(path: Path) -> ExchangeDocument:
    """Read an exchange file; a file that cannot be read as a whole raises ExchangeError."""
    if not path.is_file():
        raise ExchangeError(path, None, "file not found")
    _write, read = _module(format_for(path))
    return read(path)
