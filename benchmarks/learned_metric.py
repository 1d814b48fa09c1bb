"""The learned metric on judgements it never saw: train on one domain, measure on the other.

    python benchmarks/learned_metric.py [--resamples 1000] [--work outputs/learned-metric]

1. Trains on the TED MQM rows (zh-en and en-de, WMT21) and meta-evaluates on the WMT23 zh-en news
   rows (another domain, another year, other systems) against chrF and BERTScore.
2. Trains on the WMT23 rows and meta-evaluates on each TED file.
Grouped segment Kendall tau with a bootstrap 95% interval over segments, and the paired interval of
the difference with chrF. The design (features, fit, penalty, layer) was fixed by cross-validation
by document on TED alone before this script was first run; nothing here was tuned on its output.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import SHARED_DATA

from polybrief.eval.learned.train import train
from polybrief.eval.metaeval.correlation import meta_evaluate, read_judgements, to_table

TED = [SHARED_DATA / "mqm_ted_zhen.jsonl", SHARED_DATA / "mqm_ted_ende.jsonl"]
WMT23 = SHARED_DATA / "wmt23_mqm_zhen_dev.jsonl"


def trained(paths: list[Path], folder: Path) -> str:
    start = time.perf_counter()
    train(paths).save(folder)
    print(f"trained on {', '.join(p.name for p in paths)} in {time.perf_counter() - start:.0f} s -> {folder}")
    return str(folder)


def measure(data: Path, model: str, language: str, resamples: int, extra: list[str]) -> None:
    rows = read_judgements(data)
    names = [f"mqm:model={model}:source=true", f"mqm:model={model}", *extra]
    report = meta_evaluate(rows, names, baseline="chrf", resamples=resamples, language=language)
    print(f"\n### {data.name} (target {language}), model trained without it\n\n{to_table(report)}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--work", default="outputs/learned-metric")
    args = parser.parse_args()
    work = Path(args.work)
    ted_model = trained(TED, work / "ted")
    measure(WMT23, ted_model, "en", args.resamples, ["bertscore"])
    wmt_model = trained([WMT23], work / "wmt23")
    measure(TED[0], wmt_model, "en", args.resamples, ["bertscore"])
    measure(TED[1], wmt_model, "de", args.resamples, [])


if __name__ == "__main__":
    main()
