"""The ``polybrief`` console script: the briefing commands plus the scoring commands."""
from __future__ import annotations

import argparse
import sys

from summarize.cli import build_parser, dispatch


def add_eval_commands(subparsers: argparse._SubParsersAction) -> None:
    """Scoring commands register here as they are built."""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(add_eval_commands)
    return dispatch(parser.parse_args(argv), parser)


if __name__ == "__main__":
    sys.exit(main())
