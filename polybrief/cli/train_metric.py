"""``polybrief train-metric``: fit the learned ``mqm`` metric on expert MQM judgements."""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from polybrief.core.errors import PolybriefError

from .common import check_writable_folder, progress

T = TypeVar("T")


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "train-metric", help="train the learned mqm metric on MQM judgements (JSONL rows)",
        description="Fit the learned metric's heads (reference and source, reference only, source only) on "
                    "within-segment rankings of JSONL rows with src, mt, ref, system, seg_id, doc and human_score "
                    "(the WMT MQM layout; lang_pair names the target language, which the model then covers). "
                    "Writes DIR/mqm.json and DIR/mqm.npz; use it with --metrics mqm:model=DIR. The multilingual "
                    "encoder pass over every distinct text is the slow part: minutes to an hour on a CPU.")
    p.add_argument("data", nargs="+", metavar="DATA.jsonl", help="training judgements (several files are pooled)")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="model folder to write")
    p.add_argument("--lang", default="en", help="target language of files without lang_pair (default en)")
    p.add_argument("--overwrite", action="store_true", help="replace a model already in DIR")
    p.add_argument("--cache", metavar="DIR", help="keep sentence vectors here, so a retraining encodes each text once")
    p.add_argument("--vectors-share", type=_share, metavar="S", help="train the heads that read sentence vectors on "
                   "a seeded share S (0-1] of each file's blocks of segments: the encoder is the slow part")
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
    started = time.perf_counter()
    model = train(args.data, args.lang, progress=_feature_progress, cache=args.cache, vectors_share=args.vectors_share)
    path = model.save(out)
    rows = sum(t["rows"] for t in model.trained_on)
    print(f"trained heads {', '.join(model.heads)} for target languages {', '.join(model.target_languages)} on "
          f"{rows} rows in {time.perf_counter() - started:.0f} s; wrote {path}", file=sys.stderr)
    return 0


def _share(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not in (0, 1]")
    return value


def _feature_progress(items: Iterable[T]) -> Iterable[T]:
    """The shared bar over training files: their features (sentence vectors above all) are the minutes of
    training."""
    return progress(list(items), "features", "file")
