"""Prompt and wording templates, read from the prompts/ folder (never string constants in code)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from corpusqa.errors import SettingsError


@cache
def _read(folder: Path, template: str) -> str:
    path = folder / f"{template}.txt"
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        raise SettingsError(f"prompt '{template}' not found: expected {path}") from None


def render(folder: Path, template: str, **values: str) -> str:
    """The template prompts/<template>.txt with its {placeholders} filled."""
    return _read(folder, template).format(**values)
