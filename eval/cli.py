"""The ``polybrief`` console script: the briefing commands plus the scoring commands."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Iterable, TypeVar

from summarize.cli import build_parser, dispatch, open_output, positive_int
from summarize.errors import PolybriefError

from .metrics import METRICS, parse_metric_list
from .stats import DEFAULT_SEED

T = TypeVar("T")


def metric_progress(items: Iterable[T]) -> Iterable[T]:
    """A progress bar over metrics on stderr (only on a terminal): neural metrics take a while."""
    from tqdm import tqdm

    return tqdm(items, desc="metrics", unit="metric", file=sys.stderr, leave=False, disable=None)


def add_score_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "score", help="score hypotheses against references (BLEU, chrF, TER, ROUGE, BERTScore, ...)",
        description="Score a hypothesis file against one or more reference files, one segment per line "
                    "(or JSONL, where a segment may span lines: ROUGE-Lsum reads newlines as sentence "
                    "breaks). Prints each score with a bootstrap 95%% interval and its signature.")
    p.add_argument("--hyp", required=True, help="hypotheses (text or .jsonl)")
    p.add_argument("--ref", action="append", default=[], help="references; repeat for several")
    p.add_argument("--src", default=None, help="sources, for reference-free metrics (xling)")
    p.add_argument("--metrics", default="bleu,chrf,rouge",
                   help=f"comma-separated from: {', '.join(METRICS)}; parameters as name:key=value "
                        "(bleu:tokenize=intl, rouge:stem=false, bertscore:model=/path/to/encoder)")
    p.add_argument("--lang", default="en", help="target language (tokenizer, stemmer); default en")
    p.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (0: no interval)")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"bootstrap seed (default {DEFAULT_SEED})")
    p.add_argument("--paired-with", default=None, metavar="BASELINE_HYP",
                   help="baseline hypotheses: test whether --hyp differs significantly")
    p.add_argument("--paired-test", choices=("bs", "ar"), default="bs",
                   help="paired bootstrap (bs) or approximate randomization (ar)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-o", "--output", default=None)
    p.set_defaults(handler=run_score)


def run_score(args: argparse.Namespace) -> int:
    from .metrics.base import Segments
    from .scoring import results_table, score_segments
    from .segments_io import read_segments

    if args.resamples < 0:
        raise PolybriefError("--resamples must be 0 or more")
    names = parse_metric_list(args.metrics)
    hyps = read_segments(args.hyp)
    refs = [read_segments(r) for r in args.ref]
    src = read_segments(args.src) if args.src else None
    segments = Segments(hyps, refs, src, args.lang)
    paired = Segments(read_segments(args.paired_with), refs, src, args.lang) if args.paired_with else None
    results = score_segments(segments, names, args.resamples, args.seed, paired, args.paired_test, metric_progress)
    with open_output(args.output) as out:
        if args.format == "json":
            out.write(json.dumps({"segments": len(segments), "results": results}, indent=2) + "\n")
        else:
            out.write(f"{len(segments)} segments, {len(refs)} reference set(s)\n\n{results_table(results)}\n")
    return 0


def add_meta_eval_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "meta-eval", help="how well metrics agree with human judgements (WMT MQM layout)",
        description="Correlate metrics with human scores from a JSONL file with src, mt, ref, system, seg_id, "
                    "human_score: Pearson, Spearman and Kendall at segment level (pooled and grouped by "
                    "segment) and system level, with bootstrap 95%% intervals over segments. Combine metrics "
                    "with '+' (chrf+embedding); pick a score with '.' (bertscore.recall).")
    p.add_argument("data", metavar="DATA.jsonl")
    p.add_argument("--metrics", default="bleu,chrf,ter,rouge", help="comma-separated")
    p.add_argument("--baseline", default="chrf", help="metric every other is compared with (default chrf)")
    p.add_argument("--lang", default="en", help="target language (default en)")
    p.add_argument("--resamples", type=positive_int, default=1000)
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    p.add_argument("--include-human", action="store_true", help="keep rows flagged is_human_translation")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-o", "--output", default=None)
    p.set_defaults(handler=run_meta_eval)


def run_meta_eval(args: argparse.Namespace) -> int:
    from .metaeval import meta_evaluate, read_judgements, to_table

    names = parse_metric_list(args.metrics)
    rows = read_judgements(args.data, args.include_human)
    report = meta_evaluate(rows, names, args.baseline, args.resamples, args.seed, args.lang, metric_progress)
    with open_output(args.output) as out:
        out.write(json.dumps(report, indent=2) + "\n" if args.format == "json" else to_table(report) + "\n")
    return 0


def add_score_docs_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "score-docs", help="score every article of a cluster against a reference summary",
        description="Score each article of a cluster against a reference summary (ROUGE recall, chrF, "
                    "embedding similarity), machine-translated articles beside native ones, each with a "
                    "plain trust verdict and the signals behind it.")
    p.add_argument("cluster", metavar="CLUSTER", help="a cluster folder (or a file with one cluster)")
    p.add_argument("--reference", required=True, help="reference summary (text or Markdown)")
    p.add_argument("--translator", default="apertium",
                   help="MT backend for articles in other languages and the round-trip signal "
                        "(apertium, a model folder, none)")
    p.add_argument("--fluency-model", default=None,
                   help="causal LM (folder or .gguf file) for the fluency signal of translated articles")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-o", "--output", default=None)
    p.set_defaults(handler=run_score_docs)


def run_score_docs(args: argparse.Namespace) -> int:
    from summarize.readers import BadRecord, read_clusters, read_reference

    from .docreport import documents_table, score_documents

    reference = read_reference(args.reference)
    cluster = next(iter(read_clusters(args.cluster)), None)
    if cluster is None or isinstance(cluster, BadRecord):
        raise PolybriefError(f"{args.cluster}: no readable cluster" + (f" ({cluster.reason})" if cluster else ""))
    rows = score_documents(cluster, reference, args.translator, args.fluency_model)
    with open_output(args.output) as out:
        if args.format == "json":
            out.write(json.dumps({"cluster_id": cluster.cluster_id, "documents": rows}, indent=2) + "\n")
        else:
            out.write(f"Cluster {cluster.cluster_id}: each article scored against {args.reference}\n\n"
                      f"{documents_table(rows)}\n")
    return 0


def add_run_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "run", help="run an experiment described in YAML (resumes where it stopped)",
        description="Brief every cluster with every system of CONFIG, score them, and record predictions, "
                    "per-cluster samples and results with intervals and significance under "
                    "OUTPUT/NAME/CONFIG_HASH/; rows go to the leaderboard. Re-running the same config resumes.")
    p.add_argument("config", metavar="CONFIG", help="experiment YAML (see configs/)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config value, e.g. --set data.path=clusters.jsonl --set statistics.resamples=200")
    p.add_argument("--check", action="store_true", help="validate the config and exit")
    p.add_argument("--export-to", default=None, metavar="DIR", help="then export the run as a HF dataset here")
    p.add_argument("--backend", choices=("local", "ray"), default=None,
                   help="where the work runs (default: the config's backend, else local)")
    p.add_argument("--address", default=None, help="Ray cluster address for --backend ray (default: start one)")
    p.set_defaults(handler=run_run)


def run_run(args: argparse.Namespace) -> int:
    from .experiment.config import load_config
    from .experiment.runner import run_dir, run_experiment

    overrides = list(args.overrides)
    if args.backend:
        overrides.append(f"backend.name={args.backend}")
    if args.address:
        overrides.append(f"backend.address={args.address}")
    config = load_config(args.config, overrides)
    if args.check:
        print(f"{args.config}: valid; {len(config.systems)} system(s): "
              f"{', '.join(s.display_name for s in config.systems)}; run folder {run_dir(config).root}")
        return 0
    paths, results = run_experiment(config)
    print(f"run {results['name']}/{results['run_id']}: {results['clusters']} clusters x {len(config.systems)} "
          f"systems ({results['new_predictions']} new predictions) in {results['wall_time_s']:.1f} s")
    for system, entry in results["systems"].items():
        shown = []
        for metric, m in entry["metrics"].items():
            score = m["scores"][m["primary"]]
            sig = m.get("significance")
            p_value = "n/a" if sig is None or sig["p_value"] is None else f"{sig['p_value']:.3f}"
            shown.append(f"{metric} {m['primary']} {score['score']:.4g}"
                         + (f" (p={p_value} vs {sig['baseline']})" if sig else ""))
        print(f"  {system}: " + "; ".join(shown))
    print(f"results:     {paths.results}\npredictions: {paths.predictions}\nleaderboard: {config.leaderboard_path}")
    if args.export_to:
        from .experiment.export import export_run

        print(f"export:      {export_run(paths.root, args.export_to)}")
    return 0


def add_export_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export", help="export a finished run as a Hugging Face dataset (parquet + dataset card)",
        description="Write RUN_DIR as a dataset that datasets.load_dataset(DIR) loads offline: configs "
                    "'predictions' (default) and 'clusters', parquet shards, and a README.md dataset card.")
    p.add_argument("run_dir", metavar="RUN_DIR")
    p.add_argument("--to", required=True, metavar="DIR", help="output folder")
    p.add_argument("--push-to-hub", default=None, metavar="REPO", help="also push to this hub dataset repo")
    p.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    from .experiment.export import export_run

    target = export_run(args.run_dir, args.to, args.push_to_hub)
    print(f"exported {args.run_dir} to {target} (load with datasets.load_dataset({str(target)!r}))")
    return 0


def add_leaderboard_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "leaderboard", help="render leaderboard.md and leaderboard.html from leaderboard.jsonl",
        description="Rank every run x system on one metric (default: rouge's primary score, ROUGE-2 F), "
                    "with 95%% intervals; systems whose interval overlaps the best's are marked.")
    p.add_argument("--file", default="outputs/leaderboard.jsonl", help="the leaderboard JSONL")
    p.add_argument("--metric", default=None, help="metric or metric.score, e.g. rouge.rougeLsum_f, chrf")
    p.add_argument("--dataset", default=None, help="only this dataset")
    p.add_argument("--out-dir", default=None, help="where to write (default: beside the JSONL)")
    p.set_defaults(handler=run_leaderboard)


def run_leaderboard(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .experiment.leaderboard import render

    md_path, html_path, markdown = render(Path(args.file), args.metric, args.dataset,
                                          Path(args.out_dir) if args.out_dir else None)
    print(markdown + f"\nwritten: {md_path} and {html_path}")
    return 0


def add_eval_commands(subparsers: argparse._SubParsersAction) -> None:
    add_score_command(subparsers)
    add_meta_eval_command(subparsers)
    add_score_docs_command(subparsers)
    add_run_command(subparsers)
    add_export_command(subparsers)
    add_leaderboard_command(subparsers)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(add_eval_commands)
    return dispatch(parser.parse_args(argv), parser)


if __name__ == "__main__":
    sys.exit(main())

