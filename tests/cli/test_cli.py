"""The command line as a user meets it: exit codes, one-line errors, outputs."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from esg_author.cli import main
from esg_author.core.storage.schema import FORMAT_VERSION


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "esg_author", *args], capture_output=True, text=True, timeout=600)


def test_info_json(small_project_path, capsys):
    assert main(["info", str(small_project_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format_version"] == FORMAT_VERSION
    assert data["languages"] == ["zh-Hant", "zh-Hans", "en"]
    assert (data["sections"], data["kpis"], data["kpi_tables"]) == (3, 3, 1)


def test_new_creates_a_valid_project_and_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "acme.esgproj"
    assert main(["new", str(path), "--company", "Acme", "--year", "2024", "--languages", "zh-Hant,en"]) == 0
    assert main(["info", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert data["year"] == 2024 and data["languages"] == ["zh-Hant", "en"]
    assert data["sections"] > 20 and data["kpis"] >= 40 and data["kpi_values"] == 0
    assert data["company"]["en"] == "Acme"
    assert main(["new", str(path)]) == 1
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["info", "missing.esgproj"], "no such file"),
    (["build", "missing.esgproj"], "no such file"),
    (["new", "x.txt"], "must end in .esgproj"),
    (["new", "x.esgproj", "--languages", "fr"], "unknown language fr"),
])
def test_errors_are_one_line_with_exit_code_1(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run(*args)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    result = run("--debug", "info", str(tmp_path / "missing.esgproj"))
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_newer_project_version_message(small_project_path):
    conn = sqlite3.connect(small_project_path)
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    result = run("info", str(small_project_path))
    assert result.returncode == 1 and "newer esg-author" in result.stderr


def test_build_writes_pdf_and_html_where_asked(small_project_path, tmp_path):
    out = tmp_path / "out"
    result = run("build", str(small_project_path), "--lang", "en,zh-Hant", "--format", "pdf", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "small.en.pdf").exists() and (out / "small.zh-Hant.pdf").exists()
    assert not (out / "small.zh-Hans.pdf").exists() and not (out / "html").exists()
    bad = run("build", str(small_project_path), "--lang", "fr")
    assert bad.returncode == 1 and "no language fr" in bad.stderr


def test_check_reports_errors_and_exit_code(small_project_path, tmp_path):
    from esg_author.core.commands import SetReportMeta, SetSectionText, UndoStack
    from esg_author.core.storage import open_project, save_project

    project = open_project(small_project_path)
    stack = UndoStack(project)
    stack.execute(SetReportMeta("frameworks", []))  # no gap analysis: the small project answers little
    save_project(project, small_project_path)
    clean = run("check", str(small_project_path), "--json")
    assert clean.returncode == 0, clean.stdout
    stack.execute(SetSectionText("env-data", "en", body="Broken [[kpi:nope]] and [[ref:gone]] \ue000"))
    stack.execute(SetSectionText("env-data", "zh-Hans", body=""))
    broken = tmp_path / "broken.esgproj"
    save_project(project, broken)
    result = run("check", str(broken), "--json")
    assert result.returncode == 1
    rules = {(f["rule"], f["lang"], f["target"]["id"]) for f in json.loads(result.stdout)["findings"]}
    assert ("token.kpi", "en", "env-data") in rules
    assert ("token.ref", "en", "env-data") in rules
    assert ("text.missing", "zh-Hans", "env-data") in rules
    assert any(rule == "font.coverage" and lang == "en" for rule, lang, _ in rules)
    assert any(rule == "font.missing-glyph" and lang == "en" for rule, lang, _ in rules)  # WeasyPrint's own log


def test_demo_command(tmp_path):
    result = run("demo", str(tmp_path), "--lang", "en", "--format", "html")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo.esgproj").exists()
    assert (tmp_path / "html" / "en" / "index.html").exists()


@pytest.mark.parametrize("args, gui", [
    ([], True), (["--debug"], True), (["--ui-lang", "zh-Hant"], True), (["report.esgproj"], True),
    (["--debug", "--ui-lang", "en", "a.esgproj", "b.esgproj"], True), (["--ui-lang=zh-Hans"], True),
    (["info", "x.esgproj"], False), (["--help"], False), (["--version"], False),
    (["biuld", "p.esgproj"], False), (["biuld"], False), (["p.esgproj", "biuld"], False),
    (["report.txt"], False), (["--ui-lang"], False), (["--verbose", "p.esgproj"], False),
])
def test_no_command_word_opens_the_window(monkeypatch, capsys, args, gui):
    import esg_author.cli as cli

    opened = []
    monkeypatch.setattr(cli, "_open_gui", lambda a: opened.append(a) or 0)
    code = None
    try:
        code = cli.main(args)
    except SystemExit as exc:
        code = exc.code
    assert bool(opened) == gui
    if gui:
        assert opened[0] == args
    elif args and args[0] == "biuld":  # a mistyped command: argparse names it (without a display Qt would abort)
        assert code == 2 and "invalid choice: 'biuld'" in capsys.readouterr().err
