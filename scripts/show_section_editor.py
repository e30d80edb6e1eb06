"""Show the section editor with a section of the demo report, to look at it as a user would.

    .venv/bin/python scripts/show_section_editor.py                 # the longest zh-Hant section
    .venv/bin/python scripts/show_section_editor.py --section data-security --lang en
    .venv/bin/python scripts/show_section_editor.py --quit-after 3 --grab /tmp/editor.png

On a machine without a display (the screenshot then shows the whole X screen):

    Xvfb :99 -screen 0 1600x1000x24 & DISPLAY=:99 .venv/bin/python scripts/show_section_editor.py --quit-after 4 &
    sleep 3; DISPLAY=:99 import -window root /tmp/editor.png
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from esg_author.core.bundled import load_demo_project
from esg_author.core.i18n.formatting import format_kpi_value, kpi_name
from esg_author.core.model import Project
from esg_author.gui.chip_object import ChipLabeler


def chip_labeler(project: Project) -> ChipLabeler:
    numbers = project.section_numbers()
    titles = {section.id: section for section in project.sections}

    def label(kind: str, target: str, year: int | None, lang: str) -> tuple[str, str] | None:
        if kind == "kpi":
            kpi = project.kpis.get(target)
            value = kpi.values.get(year or project.meta.year) if kpi else None
            if kpi is None or value is None:
                return None
            return format_kpi_value(kpi, value, lang, with_unit=True), f"{kpi_name(kpi, lang)} ({year or project.meta.year})"
        if kind == "ref":
            section = titles.get(target)
            if section is None:
                return None
            title = section.text(lang).title or target
            return f"{numbers.get(target, '')} {title}".strip(), target
        if kind == "table":
            table = project.tables.get(target)
            return (table.title.get(lang) or target, target) if table else None
        return target, target

    return label


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--section", help="section id (default: the longest text in --lang)")
    parser.add_argument("--lang", default="zh-Hant", choices=["zh-Hant", "zh-Hans", "en"])
    parser.add_argument("--quit-after", type=float, default=0, help="seconds, then quit")
    parser.add_argument("--scroll", type=float, default=0, help="scroll down this fraction of the text (0–1)")
    parser.add_argument("--grab", help="also save a picture of the window to this PNG file")
    args = parser.parse_args()

    app = QApplication(sys.argv)
    from esg_author.gui.section_editor import SectionEditor  # after the QApplication: it loads fonts

    project = load_demo_project()
    if args.section:
        section = project.section(args.section)
    else:
        section = max(project.sections, key=lambda s: len(s.text(args.lang).body))
    assets = {name: asset.data for name, asset in project.assets.items()}
    editor = SectionEditor(chip_labeler=chip_labeler(project), asset_data=assets.get, lang=args.lang)
    editor.setWindowTitle(f"{section.id} — {section.text(args.lang).title}")
    editor.set_markdown(section.text(args.lang).body)
    editor.resize(1200, 900)
    editor.move(20, 20)
    editor.show()
    bar = editor.verticalScrollBar()
    QTimer.singleShot(300, lambda: bar.setValue(int(bar.maximum() * args.scroll)))
    if args.grab:
        QTimer.singleShot(800, lambda: editor.grab().save(args.grab))
    if args.quit_after:
        QTimer.singleShot(int(args.quit_after * 1000), app.quit)
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
