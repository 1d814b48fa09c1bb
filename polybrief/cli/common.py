"""What every command shares: one-line errors, logging, argument types and output files."""
from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TypeVar

from polybrief.core.errors import PolybriefError
from polybrief.core.files import atomic_write

PROG = "polybrief"
T = TypeVar("T")


def progress(items: Iterable[T], desc: str = "metrics", unit: str = "metric") -> Iterable[T]:
    """A progress bar on stderr, only on a terminal (``disable=None``), so pipes and logs stay clean: neural
    metrics, bootstrap resamples, clusters of articles and training features take a while."""
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit=unit, file=sys.stderr, leave=False, disable=None)


@contextmanager
def progress_count(total: int, desc: str, unit: str) -> Iterator[Callable[[int], None]]:
    """A bar like ``progress`` for work done in blocks (bootstrap resamples drawn a block at a time): yields
    the ``update(n)`` to call after each block, and clears the bar when the work is done or fails."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False, disable=None)
    try:
        yield bar.update
    finally:
        bar.close()


def configure_logging(verbose: bool = False) -> None:
    """Warnings as one line each on stderr, prefixed with the program name."""
    logging.addLevelName(logging.WARNING, "warning")
    logging.addLevelName(logging.INFO, "info")
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format=f"{PROG}: %(levelname)s: %(message)s", stream=sys.stderr, force=True)
    for noisy in ("transformers", "datasets", "huggingface_hub", "filelock", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    os.environ.setdefault("HF_DATASETS_DISABLE_PROGRESS_BARS", "1")  # parquet writes need no bar
    # transformers reads these when it is imported (importing it here would cost half a second)
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    if "huggingface_hub" in sys.modules:  # imported first (by datasets): transformers copies its setting
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    if "transformers" in sys.modules:  # already imported (a test, a library caller): tell it directly
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()


def check_writable_folder(path: str | Path) -> None:
    """Fail now, in one line, if ``path`` cannot be created or written: not after all the work."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as exc:
        raise PolybriefError(f"cannot write to {folder}: {exc.strerror or exc}") from None


def fail(message: str, code: int = 1) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code


def at_least(minimum: int, why: str):
    """An argparse type: a whole number no smaller than ``minimum`` (the message says why)."""
    def parse(text: str) -> int:
        value = positive_int(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"at least {minimum} ({why}), got {value}")
        return value

    return parse


def counted(n: int, noun: str) -> str:
    """'1 cluster', '3 clusters': a summary line that reads "1 clusters" looks careless and makes readers
    doubt the numbers beside it."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


@contextmanager
def open_output(path: str | None) -> Iterator[IO[str]]:
    """stdout, or ``path`` written whole only when the command succeeds (``core.files.atomic_write``): a
    failed command never empties a file the user already had; Ctrl-C keeps ``PATH.partial``."""
    if path in (None, "-"):
        yield sys.stdout
        return
    with atomic_write(path, keep_partial=True) as handle:
        yield handle
