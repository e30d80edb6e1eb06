"""The window's actions, menus and toolbars, with the platform's standard shortcuts.

WindowActions creates every QAction (as an attribute), puts them into menus and toolbars and
sets their texts in retranslate_ui. It connects nothing: the main window wires each action to
what it does. Icons come from the platform's icon theme when it has one, else from
assets/icons/ (drawn for this app), else the toolbar shows the action's short text.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QFont, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolBar

from esg_author.core.i18n.ui import UI_LANGUAGE_NAMES, UI_LANGUAGES, _, ui_language
from esg_author.core.paths import assets_dir

Key = QKeySequence.StandardKey

_THEME_ICONS = {  # action attribute → (theme icon, file in assets/icons)
    "new": ("DocumentNew", "document-new.svg"),
    "open": ("DocumentOpen", "document-open.svg"),
    "save": ("DocumentSave", "document-save.svg"),
    "undo": ("EditUndo", "edit-undo.svg"),
    "redo": ("EditRedo", "edit-redo.svg"),
    "find": ("EditFind", "edit-find.svg"),
    "bold": ("FormatTextBold", "format-bold.svg"),
    "italic": ("FormatTextItalic", "format-italic.svg"),
    "bullet_list": ("", "list-bullets.svg"),
    "numbered_list": ("", "list-numbers.svg"),
    "heading": ("", "format-heading.svg"),
    "insert_table": ("", "insert-table.svg"),
    "source_view": ("", "source-view.svg"),
    "add_section": ("ListAdd", "section-add.svg"),
    "delete_section": ("ListRemove", "section-remove.svg"),
    "move_up": ("GoUp", "go-up.svg"),
    "move_down": ("GoDown", "go-down.svg"),
}


def icons_dir() -> Path:
    return assets_dir() / "icons"


def app_icon() -> QIcon:
    return QIcon(str(icons_dir() / "esg-author.svg"))


class WindowActions(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window

        def make(name: str, *shortcuts: Key | str, checkable: bool = False) -> QAction:
            action = QAction(window)
            action.setObjectName(f"action-{name.replace('_', '-')}")
            keys: list[QKeySequence] = []
            for shortcut in shortcuts:
                keys += QKeySequence.keyBindings(shortcut) if isinstance(shortcut, Key) else [QKeySequence(shortcut)]
            action.setShortcuts(keys)
            action.setCheckable(checkable)
            theme, file_name = _THEME_ICONS.get(name, ("", ""))
            icon = QIcon.fromTheme(getattr(QIcon.ThemeIcon, theme)) if theme and hasattr(QIcon, "ThemeIcon") else QIcon()
            if icon.isNull() and file_name and (icons_dir() / file_name).exists():
                icon = QIcon(str(icons_dir() / file_name))
            action.setIcon(icon)
            setattr(self, name, action)
            return action

        # File
        make("new", Key.New)
        make("open", Key.Open)
        make("clear_recent")
        make("save", Key.Save)
        make("save_as", Key.SaveAs)
        make("close_tab", Key.Close)
        make("close_project")
        make("quit", Key.Quit) if QKeySequence.keyBindings(Key.Quit) else make("quit", "Ctrl+Q")
        # Edit
        make("undo", Key.Undo)
        make("redo", Key.Redo)
        make("cut", Key.Cut)
        make("copy", Key.Copy)
        make("paste", Key.Paste)
        make("paste_plain", "Ctrl+Shift+V")
        make("select_all", Key.SelectAll)
        make("find", Key.Find)
        make("find_next", Key.FindNext)
        make("find_previous", Key.FindPrevious)
        make("replace", Key.Replace) if QKeySequence.keyBindings(Key.Replace) else make("replace", "Ctrl+H")
        # Format
        make("bold", Key.Bold)
        make("italic", Key.Italic)
        make("strikethrough", "Ctrl+Shift+X")
        make("heading", "Ctrl+Alt+4")
        make("bullet_list", "Ctrl+Shift+8")
        make("numbered_list", "Ctrl+Shift+7")
        make("list_indent")
        make("list_outdent")
        make("insert_table")
        make("insert_footnote", "Ctrl+Alt+F")
        make("source_view", "Ctrl+Shift+M", checkable=True)
        # Section (the keyboard moves act in the navigator only: see the main window)
        make("add_section", "Ctrl+Shift+N")
        make("add_subsection")
        make("rename_section", "F2")
        make("delete_section", Key.Delete)
        make("move_up", "Ctrl+Shift+Up")
        make("move_down", "Ctrl+Shift+Down")
        make("indent_section", "Ctrl+Shift+Right")
        make("outdent_section", "Ctrl+Shift+Left")
        # View, Help
        make("about")
        make("about_qt")
        self.bold.setFont(_font(bold=True))  # shown as text when no icon: "B" in bold
        self.italic.setFont(_font(italic=True))
        self.quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.about.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)

        self.ui_language_group = QActionGroup(window)
        self.ui_language_actions: dict[str, QAction] = {}
        for lang in UI_LANGUAGES:
            action = QAction(UI_LANGUAGE_NAMES[lang], window)  # a language's own name is never translated
            action.setCheckable(True)
            action.setData(lang)
            self.ui_language_group.addAction(action)
            self.ui_language_actions[lang] = action

        self.section_actions = [self.add_section, self.add_subsection, self.rename_section, self.delete_section,
                                self.move_up, self.move_down, self.indent_section, self.outdent_section]
        self.format_actions = [self.bold, self.italic, self.strikethrough, self.heading, self.bullet_list,
                               self.numbered_list, self.list_indent, self.list_outdent, self.insert_table,
                               self.insert_footnote, self.source_view]
        self._build_menus()
        self._build_toolbars()

    # attributes set by make(), declared for readers and type checkers
    new: QAction
    open: QAction
    clear_recent: QAction
    save: QAction
    save_as: QAction
    close_tab: QAction
    close_project: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    cut: QAction
    copy: QAction
    paste: QAction
    paste_plain: QAction
    select_all: QAction
    find: QAction
    find_next: QAction
    find_previous: QAction
    replace: QAction
    bold: QAction
    italic: QAction
    strikethrough: QAction
    heading: QAction
    bullet_list: QAction
    numbered_list: QAction
    list_indent: QAction
    list_outdent: QAction
    insert_table: QAction
    insert_footnote: QAction
    source_view: QAction
    add_section: QAction
    add_subsection: QAction
    rename_section: QAction
    delete_section: QAction
    move_up: QAction
    move_down: QAction
    indent_section: QAction
    outdent_section: QAction
    about: QAction
    about_qt: QAction

    def _build_menus(self) -> None:
        bar = self.window.menuBar()
        self.file_menu = bar.addMenu("")
        self.file_menu.addActions([self.new, self.open])
        self.recent_menu = self.file_menu.addMenu("")
        self.recent_menu.setObjectName("recent-menu")
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.save, self.save_as])
        self.file_menu.addSeparator()
        self.file_menu.addActions([self.close_tab, self.close_project])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit)

        self.edit_menu = bar.addMenu("")
        self.edit_menu.addActions([self.undo, self.redo])
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([self.cut, self.copy, self.paste, self.paste_plain, self.select_all])
        self.edit_menu.addSeparator()
        self.edit_menu.addActions([self.find, self.find_next, self.find_previous, self.replace])

        self.format_menu = bar.addMenu("")
        self.format_menu.addActions([self.bold, self.italic, self.strikethrough])
        self.format_menu.addSeparator()
        self.format_menu.addActions([self.heading, self.bullet_list, self.numbered_list, self.list_indent, self.list_outdent])
        self.format_menu.addSeparator()
        self.format_menu.addActions([self.insert_table, self.insert_footnote])
        self.format_menu.addSeparator()
        self.format_menu.addAction(self.source_view)

        self.section_menu = bar.addMenu("")
        self.section_menu.addActions([self.add_section, self.add_subsection, self.rename_section, self.delete_section])
        self.section_menu.addSeparator()
        self.section_menu.addActions([self.move_up, self.move_down, self.indent_section, self.outdent_section])

        self.view_menu = bar.addMenu("")
        self.panels_menu = self.view_menu.addMenu("")
        self.toolbars_menu = self.view_menu.addMenu("")

        self.settings_menu = bar.addMenu("")
        self.ui_language_menu = self.settings_menu.addMenu("")
        self.ui_language_menu.addActions(list(self.ui_language_actions.values()))

        self.help_menu = bar.addMenu("")
        self.help_menu.addActions([self.about, self.about_qt])

    def _build_toolbars(self) -> None:
        self.main_toolbar = QToolBar(self.window)
        self.main_toolbar.setObjectName("main-toolbar")
        self.main_toolbar.addActions([self.new, self.open, self.save])
        self.main_toolbar.addSeparator()
        self.main_toolbar.addActions([self.undo, self.redo])
        self.main_toolbar.addSeparator()
        self.window.addToolBar(self.main_toolbar)
        self.format_toolbar = QToolBar(self.window)
        self.format_toolbar.setObjectName("format-toolbar")
        self.format_toolbar.addActions([self.bold, self.italic, self.heading, self.bullet_list, self.numbered_list,
                                        self.insert_table, self.source_view])
        self.format_toolbar.addSeparator()
        self.format_toolbar.addAction(self.find)
        self.window.addToolBar(self.format_toolbar)
        for toolbar in (self.main_toolbar, self.format_toolbar):
            toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            self.toolbars_menu.addAction(toolbar.toggleViewAction())

    def update_enabled(self, *, has_document: bool, writable: bool, has_editor: bool, has_section: bool,
                       moves: dict[str, bool], undo: tuple[bool, str], redo: tuple[bool, str]) -> None:
        """Enable what can be done now; undo and redo are (possible, what the menu says)."""
        self.save.setEnabled(has_document)
        self.save_as.setEnabled(has_document)
        self.close_project.setEnabled(has_document)
        self.close_tab.setEnabled(has_editor)
        for action, (possible, text) in ((self.undo, undo), (self.redo, redo)):
            action.setEnabled(possible)
            action.setText(text)
            action.setToolTip(text.replace("&&", "\0").replace("&", "").replace("\0", "&"))
        for action in [*self.format_actions, self.paste_plain, self.replace]:
            action.setEnabled(has_editor and writable)
        for action in (self.find, self.find_next, self.find_previous):
            action.setEnabled(has_editor)
        self.add_section.setEnabled(writable)
        for action in (self.add_subsection, self.rename_section, self.delete_section):
            action.setEnabled(writable and has_section)
        for action, move in ((self.move_up, "up"), (self.move_down, "down"), (self.indent_section, "indent"),
                             (self.outdent_section, "outdent")):
            action.setEnabled(writable and moves.get(move, False))

    def set_recent(self, paths: list[Path]) -> None:
        """Fill File ▸ Open Recent (each action's data is the path)."""
        self.recent_menu.clear()
        for number, path in enumerate(paths, start=1):
            action = self.recent_menu.addAction(f"&{number % 10}  " + path.name.replace("&", "&&"))
            action.setData(str(path))
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
        if paths:
            self.recent_menu.addSeparator()
        self.recent_menu.addAction(self.clear_recent)
        self.clear_recent.setEnabled(bool(paths))

    def retranslate_ui(self) -> None:
        texts = {
            # attribute: (menu text, toolbar text or "", status tip)
            "new": (_("&New Project…"), _("New"), _("Start a new report from the standard chapters and KPIs")),
            "open": (_("&Open…"), _("Open"), _("Open an esg-author project")),
            "clear_recent": (_("&Clear List"), "", ""),
            "save": (_("&Save"), _("Save"), _("Save the project")),
            "save_as": (_("Save &As…"), "", _("Save the project under another name and continue there")),
            "close_tab": (_("&Close Tab"), "", _("Close the section in front")),
            "close_project": (_("Close &Project"), "", _("Close the project and show the start page")),
            "quit": (_("&Quit"), "", _("Quit esg-author")),
            "cut": (_("Cu&t"), "", ""),
            "copy": (_("&Copy"), "", ""),
            "paste": (_("&Paste"), "", ""),
            "paste_plain": (_("Paste as Plain &Text"), "", _("Paste without the formatting of the copied text")),
            "select_all": (_("Select &All"), "", ""),
            "find": (_("&Find…"), _("Find"), _("Find text in the section in front")),
            "find_next": (_("Find &Next"), "", ""),
            "find_previous": (_("Find Pre&vious"), "", ""),
            "replace": (_("&Replace…"), "", _("Find and replace text in the section in front")),
            "bold": (_("&Bold"), "B", ""),
            "italic": (_("&Italic"), "I", ""),
            "strikethrough": (_("&Strikethrough"), "", ""),
            "heading": (_("&Heading"), _("Heading"), _("Make the paragraph a heading, or a paragraph again")),
            "bullet_list": (_("B&ulleted List"), _("Bullets"), ""),
            "numbered_list": (_("&Numbered List"), _("Numbers"), ""),
            "list_indent": (_("Indent List Item"), "", ""),
            "list_outdent": (_("Outdent List Item"), "", ""),
            "insert_table": (_("Insert &Table"), _("Table"), _("Insert a table of text (KPI tables come from the data)")),
            "insert_footnote": (_("Insert &Footnote"), "", ""),
            "source_view": (_("&Markdown Source"), _("Source"), _("Show the text as Markdown, as it is stored")),
            "add_section": (_("&Add Section"), _("Add"), _("Add a section after the current one")),
            "add_subsection": (_("Add &Sub-section"), "", _("Add a section inside the current one")),
            "rename_section": (_("&Rename Section"), "", _("Rename the section in the report language shown")),
            "delete_section": (_("&Delete Section…"), _("Delete"), _("Delete the section and its sub-sections")),
            "move_up": (_("Move &Up"), _("Up"), ""),
            "move_down": (_("Move Do&wn"), _("Down"), ""),
            "indent_section": (_("&Indent (Make Sub-section)"), "", _("Make the section a sub-section of the one above")),
            "outdent_section": (_("&Outdent"), "", _("Make the section follow its parent")),
            "about": (_("&About esg-author"), "", ""),
            "about_qt": (_("About &Qt"), "", ""),
        }
        for name, (text, icon_text, tip) in texts.items():
            action: QAction = getattr(self, name)
            action.setText(text)
            action.setIconText(icon_text or text.replace("&", "").rstrip("…"))
            action.setStatusTip(tip)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{icon_text or text.replace('&', '').rstrip('…')} ({shortcut})" if shortcut
                              else icon_text or text.replace("&", "").rstrip("…"))
        self.bold.setToolTip(_("Bold ({shortcut})").format(shortcut=self.bold.shortcut().toString(QKeySequence.SequenceFormat.NativeText)))
        self.italic.setToolTip(_("Italic ({shortcut})").format(shortcut=self.italic.shortcut().toString(QKeySequence.SequenceFormat.NativeText)))
        self.file_menu.setTitle(_("&File"))
        self.recent_menu.setTitle(_("Open &Recent"))
        self.edit_menu.setTitle(_("&Edit"))
        self.format_menu.setTitle(_("F&ormat"))
        self.section_menu.setTitle(_("Se&ction"))
        self.view_menu.setTitle(_("&View"))
        self.panels_menu.setTitle(_("&Panels"))
        self.toolbars_menu.setTitle(_("&Toolbars"))
        self.settings_menu.setTitle(_("&Settings"))
        self.ui_language_menu.setTitle(_("Interface &language"))
        self.help_menu.setTitle(_("&Help"))
        self.main_toolbar.setWindowTitle(_("Main toolbar"))
        self.format_toolbar.setWindowTitle(_("Format toolbar"))
        self.ui_language_actions[ui_language()].setChecked(True)


def _font(bold: bool = False, italic: bool = False) -> QFont:
    font = QFont()
    font.setBold(bold)
    font.setItalic(italic)
    return font
