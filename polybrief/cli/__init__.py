"""The one ``polybrief`` command line, above both halves: ``main(argv)`` is the console script.

Each module adds its subcommands; a handler imports what it needs when it runs, so
``polybrief score --metrics bleu`` never loads torch, transformers or datasets.
"""
from __future__ import annotations

import argparse
import os
import sys

from polybrief.core.errors import PolybriefError

from . import brief, experiment, score, train_metric
from .common import PROG, configure_logging, fail

__all__ = ["build_parser", "main"]


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("polybrief")
    except PackageNotFoundError:  # pragma: no cover - run from a checkout that was never installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="Briefings from multilingual news clusters, "
                                     "and scoring of translations and summaries, offline.")
    parser.add_argument("-v", "--verbose", action="store_true", help="say more about what happens")
    parser.add_argument("--version", action="version", version=f"{PROG} {version()}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    brief.add_commands(subparsers)
    score.add_commands(subparsers)
    experiment.add_commands(subparsers)
    train_metric.add_commands(subparsers)
    return parser


def dispatch(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Run a parsed command, turning user errors into one line and a non-zero exit."""
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    configure_logging(getattr(args, "verbose", False))
    try:
        return int(args.handler(args) or 0)
    except PolybriefError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted; finished work is kept", 130)
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: still one line, the traceback only when asked for
        if getattr(args, "verbose", False):
            raise
        first = str(exc).splitlines()[0] if str(exc) else ""
        return fail(f"unexpected {type(exc).__name__}: {first} (a bug in polybrief or a library it uses; "
                    "run with -v for the traceback and report it)")


def main(argv: list[str] | None = None) -> int:
    """The console script; tests call it in-process with an argument list."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # offline is the normal case: never wait on a hub
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors: argparse has printed its message
        return int(exc.code or 0)
    return dispatch(args, parser)
