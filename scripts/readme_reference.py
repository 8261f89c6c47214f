"""Generate the README's command reference and settings table from the code; --check fails on drift.

The two blocks sit between `<!-- reference:commands -->` / `<!-- reference:settings -->` and
`<!-- /reference -->` in README.md. `make format` rewrites them; `make lint` runs --check.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

from corpusqa.cli import _parser
from corpusqa.settings import PROJECT_ROOT, Settings

README = PROJECT_ROOT / "README.md"
BLOCK = re.compile(r"(<!-- reference:(\w+) -->\n)(.*?)(<!-- /reference -->)", re.S)


def commands_block() -> str:
    """One line per command: its usage (the flags every command shares left out) and its help."""
    parser = _parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    lines = []
    for name, sub in subparsers.choices.items():
        usage = " ".join(sub.format_usage().split())
        usage = usage.removeprefix("usage: ").replace(f"{parser.prog} {name}", f"corpusqa {name}")
        usage = usage.replace(" [-h]", "")
        wrapped = textwrap.fill(usage, width=98, subsequent_indent="    ", break_on_hyphens=False)
        lines.append(f"{wrapped}\n    # {sub.description}")
    return "```text\n" + "\n".join(lines) + "\n```\n"


def settings_block() -> str:
    rows = ["| setting | env | default | what it does |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = _shown_default(field.default)
        description = (field.description or "").replace("|", "\\|")
        rows.append(f"| {name} | `CORPUSQA_{name.upper()}` | {default} | {description} |")
    return "\n".join(rows) + "\n"


def _shown_default(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, Path) and value.is_relative_to(PROJECT_ROOT):
        value = value.relative_to(PROJECT_ROOT)
    return f"`{value}`"


GENERATED = {"commands": commands_block, "settings": settings_block}


def regenerated(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + GENERATED[m.group(2)]() + m.group(4), text)


def main() -> int:
    check = "--check" in sys.argv[1:]
    text = README.read_text(encoding="utf-8")
    if len(BLOCK.findall(text)) != len(GENERATED):
        print(f"README.md must hold the {len(GENERATED)} reference blocks", file=sys.stderr)
        return 1
    fresh = regenerated(text)
    if fresh == text:
        return 0
    if check:
        print("README.md's reference blocks are stale: run `make format`", file=sys.stderr)
        return 1
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
