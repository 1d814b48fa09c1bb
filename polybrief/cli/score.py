"""``polybrief score``, ``meta-eval`` and ``score-docs``: scoring from the command line."""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from polybrief.core import defaults
from polybrief.core.errors import PolybriefError
from polybrief.core.languages import check_language
from polybrief.eval.metrics import METRICS, parse_metric_list

from .common import open_output, positive_int, progress_count
from .common import progress as metric_progress

if TYPE_CHECKING:
    from polybrief.eval.metaeval.correlation import JudgedRows


def add_score_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "score", help="score hypotheses against references (BLEU, chrF, TER, ROUGE, BERTScore, ...)",
        description="Score a hypothesis file against one or more reference files, one segment per line "
                    "(or JSONL, where a segment may span lines: ROUGE-Lsum reads newlines as sentence "
                    "breaks). Prints each score with a bootstrap 95% interval and its signature.")
    p.add_argument("--hyp", required=True, help="hypotheses (text or .jsonl)")
    p.add_argument("--ref", action="append", default=[], help="references; repeat for several")
    p.add_argument("--src", default=None, help="sources, for reference-free metrics (xling)")
    p.add_argument("--metrics", default="bleu,chrf,rouge",
                   help=f"comma-separated from: {', '.join(METRICS)}; parameters as name:key=value "
                        "(bleu:tokenize=intl, rouge:stem=false, bertscore:model=/path/to/encoder) "
                        "(default: bleu,chrf,rouge)")
    p.add_argument("--lang", default="en", help="target language (tokenizer, stemmer); default en")
    p.add_argument("--resamples", type=int, default=defaults.RESAMPLES,
                   help=f"bootstrap resamples (0: no interval; default {defaults.RESAMPLES})")
    p.add_argument("--seed", type=int, default=defaults.SEED, help=f"bootstrap seed (default {defaults.SEED})")
    p.add_argument("--paired-with", default=None, metavar="BASELINE_HYP",
                   help="baseline hypotheses: test whether --hyp differs significantly")
    p.add_argument("--paired-test", choices=("bs", "ar"), default="bs",
                   help="paired bootstrap (bs, the default) or approximate randomization (ar)")
    p.add_argument("--format", choices=("table", "json"), default="table",
                   help="a table for reading (default), or JSON with every score, interval and signature")
    p.add_argument("-o", "--output", default=None, help="write here instead of stdout")
    p.set_defaults(handler=run_score)


def run_score(args: argparse.Namespace) -> int:
    from polybrief.eval.metrics.base import Segments
    from polybrief.eval.scoring.score import resample_total, results_table, score_segments
    from polybrief.eval.scoring.segments_io import read_segments

    if args.resamples < 0:
        raise PolybriefError("--resamples must be 0 or more")
    args.lang = check_language(args.lang, "--lang")  # 'english' scored on with a warning, other numbers
    names = parse_metric_list(args.metrics)
    hyps = read_segments(args.hyp)
    refs = [read_segments(r) for r in args.ref]
    src = read_segments(args.src) if args.src else None
    segments = Segments(hyps, refs, src, args.lang)
    paired = None
    if args.paired_with:
        baseline = read_segments(args.paired_with)
        if len(baseline) != len(hyps):
            raise PolybriefError(f"--paired-with {args.paired_with}: {len(baseline)} segments, but --hyp {args.hyp} "
                                 f"has {len(hyps)}: the two systems must translate the same segments")
        paired = Segments(baseline, refs, src, args.lang)
    total = resample_total(len(names), args.resamples, paired is not None, args.paired_test)
    with progress_count(total, "resamples", "resample") as tick:  # 10,000 resamples of a big test set: minutes
        results = score_segments(segments, names, args.resamples, args.seed, paired, args.paired_test,
                                 metric_progress, tick)
    with open_output(args.output) as out:
        if args.format == "json":
            out.write(json.dumps({"segments": len(segments), "results": results}, indent=2) + "\n")
        else:
            out.write(f"{len(segments)} segments, {len(refs)} reference set(s)\n\n{results_table(results)}\n")
    return 0


def add_meta_eval_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "meta-eval", help="how well metrics agree with human judgements (WMT MQM rows, or a ranking of systems)",
        description="Segment and system level: correlate metrics with human scores from a JSONL file with src, "
                    "mt, ref, system, seg_id, human_score (Pearson, Spearman, Kendall; pooled and grouped by "
                    "segment; system level), bootstrap 95% intervals over segments. Combine metrics with '+' "
                    "(chrf+embedding); pick a score with '.' (bertscore.recall). System level as WMT does it: DATA "
                    "a WMT-style test folder and --human-ranking its official_human_ranking.txt: pairwise accuracy "
                    "and Kendall tau of each metric's system order (Human-* rows left out).")
    p.add_argument("data", metavar="DATA", help="judgements (.jsonl) or a WMT-style test folder")
    p.add_argument("--human-ranking", default=None, metavar="FILE",
                   help="with a test folder: the organisers' human system scores (official_human_ranking.txt)")
    p.add_argument("--metrics", default="bleu,chrf,ter,rouge", help="comma-separated")
    p.add_argument("--baseline", default="chrf", help="metric every other is compared with (default chrf)")
    p.add_argument("--lang", default="en", help="target language (default en)")
    p.add_argument("--resamples", type=positive_int, default=defaults.RESAMPLES)
    p.add_argument("--seed", type=int, default=defaults.SEED)
    p.add_argument("--include-human", action="store_true", help="keep rows flagged is_human_translation")
    p.add_argument("--select", action="store_true",
                   help="choose the best of --metrics on a selection part of the documents and report it, with "
                        "the baseline, on the rest only (combination weights are fitted on the selection part)")
    p.add_argument("--selection-share", type=float, default=0.5, help="share of documents to choose on (0.5)")
    p.add_argument("--splits", type=positive_int, default=1,
                   help="with --select: repeat with this many random splits (seeds SEED, SEED+1, ...) for the spread")
    p.add_argument("--equal-weights", action="store_true", help="with --select: combine metrics with equal weights")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-o", "--output", default=None)
    p.set_defaults(handler=run_meta_eval)


def run_meta_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    args.lang = check_language(args.lang, "--lang")
    names = parse_metric_list(args.metrics)
    if Path(args.data).is_dir():
        from polybrief.eval.metaeval.system_level import system_meta_evaluate, system_table

        if not args.human_ranking:
            raise PolybriefError(f"{args.data} is a test folder: give its human system scores with "
                                 "--human-ranking FILE")
        report = system_meta_evaluate(args.data, args.human_ranking, names, args.resamples, args.seed)
        table = system_table
    elif args.human_ranking:
        raise PolybriefError(f"--human-ranking goes with a WMT-style test folder; {args.data} is judgements, "
                             "which carry their own human_score: drop --human-ranking")
    elif args.select:
        from polybrief.eval.metaeval.selection import select_and_report, selection_table

        rows = _judgements(args)
        report = select_and_report(rows, names, args.baseline, args.selection_share, args.splits, args.seed,
                                   args.resamples, not args.equal_weights, args.lang, metric_progress)
        table = selection_table
    else:
        from polybrief.eval.metaeval.correlation import meta_evaluate, to_table

        rows = _judgements(args)
        report = meta_evaluate(rows, names, args.baseline, args.resamples, args.seed, args.lang, metric_progress)
        table = to_table
    with open_output(args.output) as out:
        out.write(json.dumps(report, indent=2) + "\n" if args.format == "json" else table(report) + "\n")
    return 0


def _judgements(args: argparse.Namespace) -> JudgedRows:
    """The judged rows, saying on stderr how many were left out and why: a silent drop changes what
    the correlations are computed on."""
    from polybrief.eval.metaeval.correlation import read_judgements

    rows = read_judgements(args.data, args.include_human)
    reasons = {"no_score": "without a numeric human_score", "human_translation": "of human translations",
               "no_mt": "without an mt text"}
    dropped = [f"{n} row(s) {reasons.get(why, why)}" for why, n in rows.skipped.items() if n]
    if dropped:
        print(f"polybrief: note: {args.data}: left out {' and '.join(dropped)}; {len(rows)} row(s) used",
              file=sys.stderr)
    return rows


def add_score_docs_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "score-docs", help="score every article of each cluster against a reference summary",
        description="Score each article of a cluster against a reference summary (ROUGE recall, chrF, "
                    "embedding similarity), machine-translated articles beside native ones, each with a "
                    "plain trust verdict and the signals behind it.")
    p.add_argument("cluster", metavar="CLUSTERS", help="a cluster folder, or a JSONL file or dataset of clusters")
    p.add_argument("--reference", default=None,
                   help="reference summary (text or Markdown) for every cluster (default: each cluster's own)")
    p.add_argument("--translator", default=defaults.TRANSLATOR,
                   help="MT backend for articles in other languages and the round-trip signal "
                        "(apertium, the default; a model folder; none)")
    p.add_argument("--fluency-model", default=None,
                   help="causal LM (folder or .gguf file) for the fluency signal of translated articles")
    p.add_argument("--allow-outside", action="store_true",
                   help="read files that cluster.yaml or a symlink points to outside the cluster folder")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-o", "--output", default=None)
    p.set_defaults(handler=run_score_docs)


def run_score_docs(args: argparse.Namespace) -> int:
    from polybrief.core.readers import BadRecord, read_clusters, read_reference
    from polybrief.docreport import documents_table, score_documents

    given = read_reference(args.reference) if args.reference else None
    scored = problems = 0
    with open_output(args.output) as out:
        for cluster in metric_progress(read_clusters(args.cluster, None, args.allow_outside), "clusters", "cluster"):
            if isinstance(cluster, BadRecord):
                problems += 1
                print(f"polybrief: error: {cluster.where}: {cluster.reason}", file=sys.stderr)
                continue
            reference = given or (cluster.reference_summaries[0] if cluster.reference_summaries else None)
            if reference is None:
                problems += 1
                print(f"polybrief: error: cluster {cluster.cluster_id}: no reference summary (give --reference)",
                      file=sys.stderr)
                continue
            rows = score_documents(cluster, reference, args.translator, args.fluency_model)
            if args.format == "json":
                out.write(json.dumps({"cluster_id": cluster.cluster_id, "documents": rows}) + "\n")
            else:
                against = args.reference or "its reference summary"
                out.write(("\n" if scored else "") + f"Cluster {cluster.cluster_id}: each article scored against "
                          f"{against}\n\n{documents_table(rows)}\n")
            scored += 1
        if not scored:
            raise PolybriefError(f"{args.cluster}: no cluster could be scored")
    return 1 if problems else 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    add_score_command(subparsers)
    add_meta_eval_command(subparsers)
    add_score_docs_command(subparsers)
