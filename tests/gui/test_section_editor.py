"""The section editor: formatting actions write the expected Markdown, chips behave as one unit,
input methods, paste filtering, the source view and find/replace."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QInputMethodEvent, QTextCursor
from PySide6.QtWidgets import QApplication

from esg_author.core.errors import ModelError
from esg_author.core.render.markdown import SectionMarkdown
from esg_author.gui.document_formats import OBJECT_CHAR, chip_of
from esg_author.gui.editor_clipboard import MARKDOWN_MIME
from esg_author.gui.section_editor import SectionEditor


@pytest.fixture
def editor(qtbot):
    widget = SectionEditor(chip_labeler=lambda kind, target, year, lang:
                           None if target == "missing" else (f"<{target}>", f"{kind} {target} {lang}"))
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    return widget


def select(editor: SectionEditor, text: str) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    assert editor.find(text)


def move_to(editor: SectionEditor, operation: QTextCursor.MoveOperation) -> None:
    cursor = editor.textCursor()
    cursor.movePosition(operation)
    editor.setTextCursor(cursor)


def test_bold_and_italic_write_markdown(editor, qtbot):
    editor.set_markdown("Hello world and more\n")
    select(editor, "world")
    editor.toggle_bold()
    assert editor.markdown() == "Hello **world** and more\n"
    editor.toggle_bold()
    assert editor.markdown() == "Hello world and more\n"
    move_to(editor, QTextCursor.MoveOperation.End)
    editor.toggle_italic()
    qtbot.keyClicks(editor, " new")
    assert editor.markdown() == "Hello world and more *new*\n"  # the space stays outside the stars


def test_bold_next_to_chinese_punctuation_still_prints_bold(editor):
    editor.set_markdown("我們的「持份者」的意見\n")
    select(editor, "「持份者」")
    editor.toggle_bold()
    blocks, _problems = SectionMarkdown().render(editor.markdown(), _NoTokens(), "s")
    assert "<strong>「持份者」</strong>的意見" in blocks[0].html


class _NoTokens:
    def kpi_html(self, *_a):  # pragma: no cover - no tokens in these texts
        return None

    ref_html = kpi_html
    asset_url = kpi_html

    def container_title(self, kind, title):  # pragma: no cover
        return title


def test_heading_and_lists(editor):
    editor.set_markdown("Title\n\nfirst\n\nsecond\n")
    editor.toggle_heading()
    assert editor.markdown() == "#### Title\n\nfirst\n\nsecond\n"
    cursor = editor.textCursor()
    cursor.setPosition(editor.document().findBlockByNumber(1).position())
    cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.toggle_bullet_list()
    assert editor.markdown() == "#### Title\n\n- first\n- second\n"
    move_to(editor, QTextCursor.MoveOperation.End)
    editor.indent()
    assert editor.markdown() == "#### Title\n\n- first\n  - second\n"
    editor.outdent()
    editor.toggle_numbered_list()
    assert editor.markdown() == "#### Title\n\n- first\n\n1. second\n"


def test_enter_after_a_heading_starts_a_paragraph_and_ends_an_empty_item(editor, qtbot):
    editor.set_markdown("#### Heading\n\n- item\n")
    cursor = editor.textCursor()
    cursor.setPosition(editor.document().firstBlock().length() - 1)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "text")
    move_to(editor, QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # an empty item: leave the list
    qtbot.keyClicks(editor, "after")
    assert editor.markdown() == "#### Heading\n\ntext\n\n- item\n\nafter\n"


def test_table_editing(editor, qtbot):
    editor.set_markdown("Before\n")
    move_to(editor, QTextCursor.MoveOperation.End)
    editor.insert_table(rows=2, columns=2)
    for text in ("Year", "Total", "2025", "12"):
        qtbot.keyClicks(editor, text)
        qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert editor.markdown() == "Before\n\n| Year | Total |\n|---|---|\n| 2025 | 12 |\n|  |  |\n"
    editor.remove_row()
    editor.add_column()
    assert editor.markdown() == "Before\n\n| Year | Total |  |\n|---|---|---|\n| 2025 | 12 |  |\n"
    editor.remove_column()
    assert editor.markdown() == "Before\n\n| Year | Total |\n|---|---|\n| 2025 | 12 |\n"


def test_footnote_and_case_box(editor, qtbot):
    editor.set_markdown("Emissions fell.\n")
    cursor = editor.textCursor()
    cursor.setPosition(len("Emissions fell"))
    editor.setTextCursor(cursor)
    assert editor.insert_footnote() == "1"
    qtbot.keyClicks(editor, "Market-based method.")
    assert editor.markdown() == "Emissions fell[^1].\n\n[^1]: Market-based method.\n"
    select(editor, "Emissions")
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    editor.insert_container("case", "Paperless onboarding")
    assert editor.markdown() == ("::: case Paperless onboarding\nEmissions fell[^1].\n:::\n\n"
                                 "[^1]: Market-based method.\n")
    with pytest.raises(ValueError):
        editor.insert_container("sidebar")


def test_chip_is_one_unit(editor, qtbot):
    editor.set_markdown("We employ  people.\n")
    cursor = editor.textCursor()
    cursor.setPosition(len("We employ "))
    editor.setTextCursor(cursor)
    editor.insert_chip("kpi", "emp.total", 2024)
    assert editor.markdown() == "We employ [[kpi:emp.total@2024]] people.\n"
    chip_position = len("We employ ")
    # The cursor steps over the chip in one move: no position lies inside it.
    cursor.setPosition(chip_position)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    assert editor.textCursor().position() == chip_position + 1
    qtbot.keyClick(editor, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert editor.textCursor().selectedText() == OBJECT_CHAR
    editor.copy()
    mime = QApplication.clipboard().mimeData()
    assert bytes(mime.data(MARKDOWN_MIME).data()).decode() == "[[kpi:emp.total@2024]]\n"
    assert mime.text() == "<emp.total>"  # other applications get what the chip shows
    move_to(editor, QTextCursor.MoveOperation.End)
    editor.paste()
    assert editor.markdown() == "We employ [[kpi:emp.total@2024]] people.[[kpi:emp.total@2024]]\n"
    qtbot.keyClicks(editor, " x")  # typing next to a chip types text, not chip
    assert editor.markdown().endswith("[[kpi:emp.total@2024]] x\n")
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)  # one Backspace removes the whole chip
    assert editor.markdown() == "We employ [[kpi:emp.total@2024]] people.\n"
    editor.undo()
    assert editor.markdown() == "We employ [[kpi:emp.total@2024]] people.[[kpi:emp.total@2024]]\n"


def test_chip_labels_unknown_targets_and_activation(editor, qtbot):
    editor.set_language("zh-Hant")
    editor.set_markdown("見[[ref:missing]]及[[ref:climate]]。\n\n[[table:env]]\n")
    assert editor.chips.label("ref", "climate", None) == ("<climate>", "ref climate zh-Hant", True)
    text, tooltip, known = editor.chips.label("ref", "missing", None)
    assert not known and text == "[[ref:missing]]" and "missing" in tooltip
    with pytest.raises(ModelError):
        editor.insert_chip("kpi", "bad id")
    position = len("見[[ref:missing]]及") - len("[[ref:missing]]") + 1
    rect = editor.cursorRect(_cursor_at(editor, position))
    with qtbot.waitSignal(editor.chip_activated) as activated:
        qtbot.mouseDClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=rect.center() + _right(4))
    assert activated.args == ["ref", "climate", None]


def _cursor_at(editor, position):
    cursor = editor.textCursor()
    cursor.setPosition(position)
    return cursor


def _right(pixels):
    from PySide6.QtCore import QPoint

    return QPoint(pixels, 0)


def test_cjk_input_method_commit(editor, qtbot):
    editor.set_markdown("本集團\n")
    move_to(editor, QTextCursor.MoveOperation.End)
    event = QInputMethodEvent("", [])
    event.setCommitString("致力於可持續發展")
    QApplication.sendEvent(editor, event)
    assert editor.markdown() == "本集團致力於可持續發展\n"


def test_html_paste_keeps_structure_and_drops_styling(editor):
    editor.set_markdown("")
    mime = QMimeData()
    mime.setHtml('<html><head><style>p{color:red}</style><script>alert("x")</script></head><body>'
                 '<h2 style="color:#f00;font-family:Arial">Targets</h2>'
                 '<p><font face="Comic Sans" color="red">Cut <b>waste</b> by <i>half</i></font>, '
                 '<a href="https://example.org">see</a> <a href="javascript:alert(1)">here</a>.</p>'
                 '<ul><li>paper</li><li>plastic<ul><li>bottles</li></ul></li></ul>'
                 '<table><tr><th>Year</th><th>Tonnes</th></tr><tr><td>2025</td><td>12</td></tr></table>'
                 '<img src="https://tracker.example/pixel.gif"></body></html>')
    editor.insertFromMimeData(mime)
    assert editor.markdown() == ("#### Targets\n\nCut **waste** by *half*, [see](https://example.org) here.\n\n"
                                 "- paper\n- plastic\n  - bottles\n\n| Year | Tonnes |\n|---|---|\n| 2025 | 12 |\n")


def test_plain_paste_turns_tokens_into_chips(editor):
    editor.set_markdown("")
    mime = QMimeData()
    mime.setText("Staff: [[kpi:emp.total]] **not bold**")
    editor.insertFromMimeData(mime)
    assert editor.markdown() == "Staff: [[kpi:emp.total]] \\*\\*not bold\\*\\*\n"
    assert chips_in(editor) == [("kpi", "emp.total", None)]


def chips_in(editor: SectionEditor) -> list[tuple[str, str, int | None]]:
    found = []
    block = editor.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            chip = chip_of(iterator.fragment().charFormat())
            found.extend([chip] * iterator.fragment().length() if chip else [])
            iterator += 1
        block = block.next()
    return found


def test_source_view_round_trip_and_undo(editor):
    original = "Para with **bold**.\n\n- a\n- b\n"
    editor.set_markdown(original)
    editor.set_source_mode(True)
    assert editor.is_source_mode() and editor._source.toPlainText() == original
    editor._source.setPlainText("Changed *text*.\n")
    assert editor.markdown() == "Changed *text*.\n"
    editor.set_source_mode(False)
    assert editor.markdown() == "Changed *text*.\n"
    editor.undo()
    assert editor.markdown() == original
    editor.set_source_mode(True)
    editor.set_source_mode(False)  # unchanged: nothing re-read, nothing to undo
    assert not editor.document().isUndoAvailable()


def test_find_and_replace_all(editor):
    editor.set_markdown("The Group's waste; the group recycles.\n\n| group | x |\n|---|---|\n| a | group |\n")
    assert editor.find("recycles")
    assert editor.textCursor().selectedText() == "recycles"
    assert editor.find("The")  # wraps around
    assert editor.replace_all("group", "Group") == 4
    assert editor.markdown().count("Group") == 4
    editor.undo()  # one step
    assert editor.markdown().count("group") == 3
    assert editor.replace_all("", "x") == 0


def test_markdown_changed_is_a_fact_about_edits(editor, qtbot):
    seen: list[str] = []
    editor.markdown_changed.connect(seen.append)
    editor.set_markdown("Text\n")
    assert seen == []
    move_to(editor, QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, "!")
    assert seen == ["Text!\n"]
    select(editor, "Text")
    editor.toggle_bold()
    assert seen[-1] == "**Text**!\n" and len(seen) == 2


def test_figure_from_an_asset(editor, qtbot):
    png = _png_bytes()
    editor._asset_data = {"chart.png": png}.get
    editor.set_markdown("Intro\n")
    move_to(editor, QTextCursor.MoveOperation.End)
    editor.insert_image("chart.png", "Energy use, 2025")
    assert editor.markdown() == "Intro\n\n![Energy use, 2025](asset:chart.png)\n"
    editor.set_markdown("![Missing](asset:none.png)\n")  # shown as a placeholder, kept as written
    assert editor.markdown() == "![Missing](asset:none.png)\n"
    with pytest.raises(ModelError):
        editor.insert_image("../x.png")


def _png_bytes() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_many_qt_calls_do_not_exhaust_none():
    # PySide6 6.12 on Python 3.11 loses a reference to None per void call; the editor's guard
    # must keep a long editing session from aborting.
    code = ("import esg_author.gui.document_formats\n"
            "from PySide6.QtGui import QTextCharFormat\n"
            "f = QTextCharFormat()\n"
            "for _ in range(200000): f.setProperty(0x100001, True)\n"
            "print('ok')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
