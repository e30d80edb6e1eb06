"""XLIFF 1.2 (OASIS, urn:oasis:names:tc:xliff:document:1.2), the version every CAT tool opens.

One <file> per export, one <group> per section, one <trans-unit> per unit (id = unit id). Inline
codes are XLIFF inline elements holding the Markdown they stand for: <ph> for standalone codes
(esg-author tokens, inline code, URLs, e-mail addresses, footnote references), <bpt>/<ept> with
the same id for pairs (**bold**, *italic*, [link text](target)). CAT tools show them as tags and
keep them out of the translator's way. The unit state maps to the XLIFF state attribute:
new → new, translated → translated, needs-review → needs-review-translation, final → final.

Reading uses defusedxml (no entities, no external references). A code the translator changed,
dropped or duplicated is reported by the import, not here: this module only turns the XML back
into Markdown, taking each code's text from the element (or, for an empty <x/>-style element,
from the source code with the same id).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from esg_author import __version__
from esg_author.core.errors import ExchangeError
from esg_author.core.i18n.exchange import ExchangeDocument, ExchangeUnit, check_writable
from esg_author.core.i18n.segments import InlineCode, inline_parts
from esg_author.core.storage import atomic_write_bytes

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_BYTES = 50 * 1024 * 1024  # an export of a whole report is a few MB
MAX_NESTING = 100  # inline elements inside each other; real files nest two or three deep

TO_XLIFF_STATE = {"new": "new", "translated": "translated", "needs-review": "needs-review-translation", "final": "final"}
FROM_XLIFF_STATE = {
    "new": "new", "needs-translation": "new", "translated": "translated", "final": "final", "signed-off": "final",
    "needs-review-translation": "needs-review", "needs-review-l10n": "needs-review",
    "needs-review-adaptation": "needs-review", "needs-l10n": "needs-review", "needs-adaptation": "needs-review",
}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


# -- writing ----------------------------------------------------------------------------------------


def to_tree(document: ExchangeDocument) -> ET.Element:
    ET.register_namespace("", NS)
    root = ET.Element(_q("xliff"), {"version": "1.2"})
    file = ET.SubElement(root, _q("file"), {
        "original": document.original or "esg-author project", "datatype": "x-esg-author-markdown",
        "source-language": document.source_lang, "target-language": document.target_lang,
        "tool-id": "esg-author",
    })
    header = ET.SubElement(file, _q("header"))
    ET.SubElement(header, _q("tool"), {"tool-id": "esg-author", "tool-name": "esg-author", "tool-version": __version__})
    body = ET.SubElement(file, _q("body"))
    groups: dict[str, ET.Element] = {}
    for unit in document.units:
        group = groups.get(unit.section_id)
        if group is None:
            group = groups[unit.section_id] = ET.SubElement(body, _q("group"), {"id": unit.section_id, "resname": unit.section_id})
        element = ET.SubElement(group, _q("trans-unit"), {
            "id": unit.id, "resname": unit.id, "restype": f"x-{unit.kind or 'segment'}", f"{{{XML_NS}}}space": "preserve",
        })
        _fill(ET.SubElement(element, _q("source"), {f"{{{XML_NS}}}lang": document.source_lang}), unit.source)
        if unit.target.strip():
            target = ET.SubElement(element, _q("target"), {
                f"{{{XML_NS}}}lang": document.target_lang, "state": TO_XLIFF_STATE.get(unit.state, "translated")})
            _fill(target, unit.target)
        for note in unit.notes:
            ET.SubElement(element, _q("note"), {"from": "esg-author", "annotates": "source"}).text = note
    return root


def _fill(element: ET.Element, text: str) -> None:
    """Put text into element with its inline codes as <ph>, <bpt> and <ept> children."""
    last: ET.Element | None = None
    for part in inline_parts(text):
        if isinstance(part, str):
            if last is None:
                element.text = (element.text or "") + part
            else:
                last.tail = (last.tail or "") + part
            continue
        tag = {"ph": "ph", "open": "bpt", "close": "ept"}[part.kind]
        ident = str(part.pair if part.pair is not None else part.id)
        last = ET.SubElement(element, _q(tag), {"id": ident})
        last.text = part.text


def write(document: ExchangeDocument, path: Path) -> None:
    check_writable(document, path)  # a control character would make the file not well-formed
    root = to_tree(document)
    _indent(root)
    data = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    atomic_write_bytes(path, data.encode("utf-8"))


def _indent(element: ET.Element, level: int = 0) -> None:
    """Line up the structural elements; never ET.indent, which would add spaces inside <source>."""
    if element.tag in (_q("source"), _q("target"), _q("note")) or not len(element):
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in element:
        _indent(child, level + 1)
        child.tail = pad
    element[-1].tail = "\n" + "  " * level


# -- reading --------------------------------------------------------------------------------------


def read(path: Path) -> ExchangeDocument:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ExchangeError(path, None, f"the file is {size // (1024 * 1024)} MB; an exchange file may be at most "
                                        f"{MAX_BYTES // (1024 * 1024)} MB")
    try:
        root = SafeET.parse(path, forbid_dtd=True).getroot()
    except DefusedXmlException as exc:
        raise ExchangeError(path, None, f"refused unsafe XML ({type(exc).__name__})") from exc
    except ET.ParseError as exc:
        raise ExchangeError(path, None, f"not well-formed XML: {exc}") from exc
    if root.tag != _q("xliff") or root.get("version") != "1.2":
        raise ExchangeError(path, None, "not an XLIFF 1.2 file (expected <xliff version=\"1.2\"> in the 1.2 namespace)")
    files = root.findall(_q("file"))
    if len(files) != 1:
        raise ExchangeError(path, None, f"expected one <file> element, found {len(files)}")
    file = files[0]
    source_lang, target_lang = file.get("source-language", ""), file.get("target-language", "")
    if not source_lang or not target_lang:
        raise ExchangeError(path, None, "<file> needs source-language and target-language")
    document = ExchangeDocument(source_lang, target_lang, original=file.get("original", ""))
    for element in file.iter(_q("trans-unit")):
        ident = element.get("id")
        if not ident:
            raise ExchangeError(path, None, "a <trans-unit> has no id")
        source_element = element.find(_q("source"))
        if source_element is None:
            raise ExchangeError(path, ident, "the unit has no <source>")
        try:
            source = _text(source_element, {})
            source_codes = {str(c.pair if c.pair is not None else c.id) + c.kind: c for c in _codes(source)}
            target_element = element.find(_q("target"))
            target = _text(target_element, source_codes) if target_element is not None else ""
        except _TooDeep:
            raise ExchangeError(path, ident, f"inline elements are nested more than {MAX_NESTING} levels deep") from None
        state = "new"
        if target_element is not None:
            raw_state = target_element.get("state", "translated" if target.strip() else "new")
            state = FROM_XLIFF_STATE.get(raw_state, raw_state)
            if element.get("approved") == "yes" and state == "translated":
                state = "final"
        document.units.append(ExchangeUnit(ident, source, target, state))
    return document


def _codes(text: str) -> list[InlineCode]:
    return [p for p in inline_parts(text) if isinstance(p, InlineCode)]


class _TooDeep(Exception):
    """Inline elements nested beyond MAX_NESTING: a hostile or broken file, not a translation."""


def _text(element: ET.Element, source_codes: dict[str, InlineCode], depth: int = 0) -> str:
    """Markdown of a <source>/<target>: text plus each inline element's code (see module doc)."""
    if depth > MAX_NESTING:
        raise _TooDeep
    out = [element.text or ""]
    for child in element:
        tag = child.tag.rsplit("}", 1)[-1]
        ident = child.get("id", "")
        if tag in ("ph", "bpt", "ept", "it", "x", "bx", "ex"):
            kind = {"ph": "ph", "x": "ph", "it": "ph", "bpt": "open", "bx": "open", "ept": "close", "ex": "close"}[tag]
            content = "".join(child.itertext())
            if not content:
                known = source_codes.get(ident + kind) or source_codes.get(ident + "ph")
                content = known.text if known is not None else ""
            out.append(content)
        elif tag == "g":  # a paired code some tools write: its codes come from the source by id
            opener, closer = source_codes.get(ident + "open"), source_codes.get(ident + "close")
            out.append((opener.text if opener else "") + _text(child, source_codes, depth + 1)
                       + (closer.text if closer else ""))
        else:  # <mrk> and unknown wrappers: keep their text
            out.append(_text(child, source_codes, depth + 1))
        out.append(child.tail or "")
    return "".join(out)
