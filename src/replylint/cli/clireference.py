"""The command-line reference page (docs/cli-reference.md), made from the parsers' own --help
so that it cannot say anything the program does not; tests/test_docs_site.py fails when stale."""
from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from replylint.safewrite import write_atomic

from .main import build_parser

REGENERATE = "python -m replylint.cli.clireference docs/cli-reference.md"
WIDTH = 100  # fixed, so the page does not depend on the terminal it was made in


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _help(parser: argparse.ArgumentParser) -> str:
    parser.formatter_class = functools.partial(parser.formatter_class, width=WIDTH)
    return parser.format_help().rstrip() + "\n"


def generate() -> str:
    """The whole page: `replylint --help`, then each command's --help."""
    parser = build_parser()
    parts = ["# Command-line reference\n",
             f"Generated from `replylint --help` and each command's `--help` by `{REGENERATE}`;\n"
             "do not edit by hand. The guide with examples is [cli.md](cli.md).\n",
             "## `replylint`\n", "```text\n" + _help(parser) + "```\n"]
    for name, sub in _subcommands(parser).items():
        parts += [f"## `replylint {name}`\n", "```text\n" + _help(sub) + "```\n"]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(f"usage: {REGENERATE}", file=sys.stderr)
        return 2
    write_atomic(Path(argv[0]), generate().encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
