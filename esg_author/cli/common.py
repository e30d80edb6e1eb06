"""Helpers shared by the command modules."""

from __future__ import annotations

import sys
from collections.abc import Callable


def split_list(value: str | None) -> list[str] | None:
    """"a, b" → ["a", "b"]; None or "" → None."""
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


class progress:
    """A tqdm progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, total: int, label: str, enabled: bool = True) -> None:
        self.total, self.label, self.enabled = total, label, enabled

    def __enter__(self) -> Callable[[str], None]:
        from tqdm import tqdm

        self.bar = tqdm(total=self.total, desc=self.label, unit="step", file=sys.stderr,
                        disable=None if self.enabled else True, leave=False)

        def advance(text: str) -> None:
            self.bar.set_postfix_str(text)
            self.bar.update(1)

        return advance

    def __exit__(self, *exc: object) -> None:
        self.bar.close()
