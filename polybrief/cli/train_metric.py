"""``polybrief train-metric``: fit the learned ``mqm`` metric on expert MQM judgements."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from polybrief.core.errors import PolybriefError

from .common import check_writable_folder, progress

T = TypeVar("T")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "train-metric", help="train the learned mqm metric on MQM judgements (JSONL rows)",
        description="Fit the learned metric's heads (with a reference and BERTScore for English targets, with "
                    "a reference for any target, source only) on JSONL rows with src, mt, ref, system, seg_id, "
                    "doc and human_score (the WMT MQM layout; lang_pair names the target). Writes DIR/"
                    "polybrief-metric.json; use it with --metrics mqm:model=DIR. Minutes on a CPU.")
    p.add_argument("data", nargs="+", metavar="DATA.jsonl", help="training judgements (several files are pooled)")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="model folder to write")
    p.add_argument("--lang", default="en", help="target language of files without lang_pair (default en)")
    p.add_argument("--overwrite", action="store_true", help="replace a model already in DIR")
    p.set_defaults(handler=run_train_metric)


def run_train_metric(args: argparse.Namespace) -> int:
    from polybrief.eval.learned.model import MODEL_FILE
    from polybrief.eval.learned.train import train

    out = Path(args.output)
    if (out / MODEL_FILE).exists() and not args.overwrite:
        raise PolybriefError(f"{out}: already holds a model; give --overwrite to replace it")
    if out.exists() and not out.is_dir():
        raise PolybriefError(f"{out}: exists and is not a folder")
    check_writable_folder(out)
    model = train(args.data, args.lang, progress=_feature_progress)
    path = model.save(out)
    rows = sum(t["rows"] for t in model.trained_on)
    print(f"trained heads {', '.join(model.heads)} on {rows} rows; wrote {path}", file=sys.stderr)
    return 0


def _feature_progress(items: Iterable[T]) -> Iterable[T]:
    """The shared bar over training files: their features (BERTScore above all) are the minutes of training."""
    return progress(list(items), "features", "file")
