"""The esg-author command line. Runs without Qt; `esg-author` alone opens the desktop window.

Each command group lives in its own module, esg_author/cli/<group>_commands.py, with a
register(subparsers) function; every such module is registered here, in name order. Errors are
printed as one line naming the file and the reason, with exit code 1; --debug shows the
traceback instead. Long work shows a progress bar on stderr.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from esg_author import __version__
from esg_author.core.errors import EsgAuthorError


def command_modules() -> list[ModuleType]:
    """The command groups: project commands first, then the others by name."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.endswith("_commands"))
    names.sort(key=lambda name: name != "project_commands")
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if _wants_gui(args_list):
        return _open_gui(args_list)
    args = parser.parse_args(args_list)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.debug:  # ours only: the libraries' debug output would drown it
        logging.getLogger("esg_author").setLevel(logging.DEBUG)
    try:
        return int(args.handler(args))
    except EsgAuthorError as exc:
        if args.debug:
            raise
        print(f"esg-author: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("esg-author: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stderr.close()
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="esg-author", description="Write and publish ESG reports in three languages.",
        epilog="Without a command, esg-author opens the desktop window (options: --ui-lang en|zh-Hant|zh-Hans, "
               "a project file to open).")
    parser.add_argument("--version", action="version", version=f"esg-author {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in command_modules():
        module.register(commands)
    return parser


def _wants_gui(args: list[str]) -> bool:
    """The window only for app options (--debug, --ui-lang VALUE) and project files (*.esgproj).

    Anything else, such as a mistyped command word ("biuld"), goes to argparse, which names the
    invalid choice (exit 2) instead of starting Qt, which aborts the process without a display.
    """
    rest = iter(args)
    for arg in rest:
        if arg == "--debug" or arg.startswith("--ui-lang="):
            continue
        if arg == "--ui-lang":
            if next(rest, None) is None:
                return False
            continue
        if arg.startswith("-") or not arg.endswith(".esgproj"):
            return False
    return True


def _open_gui(args: list[str]) -> int:
    if sys.platform.startswith("linux") and not any(
            os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        # Qt would abort the process; say what is wrong instead.
        print("esg-author: error: no display for the desktop window; use a command (esg-author --help)",
              file=sys.stderr)
        return 1
    try:
        from esg_author.gui.app import run_app
    except ImportError as exc:
        print(f"esg-author: error: the desktop window needs PySide6 ({exc}); "
              "the command line works without it: esg-author --help", file=sys.stderr)
        return 1
    return run_app(argv=["esg-author", *args])
