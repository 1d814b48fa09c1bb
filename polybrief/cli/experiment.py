"""``polybrief run``, ``export`` and ``leaderboard``: experiments and what they feed."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .common import counted

if TYPE_CHECKING:  # pragma: no cover - the experiment layer loads when a command runs, not at start-up
    from polybrief.eval.experiment.runrecord import RunRecord


def add_run_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "run", help="run an experiment described in YAML (resumes where it stopped)",
        description="Brief every cluster with every system of CONFIG, score them, and record predictions, "
                    "per-cluster samples and results with intervals and significance under "
                    "OUTPUT/NAME/CONFIG_HASH/; rows go to the leaderboard. Re-running the same config resumes.")
    p.add_argument("config", metavar="CONFIG", nargs="?",
                   help="experiment YAML (README: 'Experiments, dataset export and leaderboard'; --schema prints "
                        "every field)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config value, e.g. --set data.path=clusters.jsonl --set statistics.resamples=200")
    p.add_argument("--check", action="store_true", help="validate the config and exit")
    p.add_argument("--schema", action="store_true",
                   help="print the config's JSON Schema and exit (for YAML editors: save it and start a config with "
                        "'# yaml-language-server: $schema=FILE')")
    p.add_argument("--allow-outside", action="store_true",
                   help="read files that a cluster.yaml or a symlink points to outside the cluster folder")
    p.add_argument("--export-to", default=None, metavar="DIR", help="then export the run as a HF dataset here")
    p.add_argument("--backend", choices=("local", "ray"), default=None,
                   help="where the work runs (default: the config's backend, else local)")
    p.add_argument("--address", default=None, help="Ray cluster address for --backend ray (default: start one)")
    p.set_defaults(handler=run_run)


def run_run(args: argparse.Namespace) -> int:
    from polybrief.core.errors import PolybriefError
    from polybrief.eval.experiment.config import load_config
    from polybrief.eval.experiment.runner import run_dir, run_experiment

    if args.schema:
        import json

        from polybrief.eval.experiment.schema import config_schema

        print(json.dumps(config_schema(), indent=2))
        return 0
    if not args.config:
        raise PolybriefError("run: give a CONFIG (an experiment YAML, see configs/), or --schema")

    overrides = list(args.overrides)
    if args.backend:
        overrides.append(f"backend.name={args.backend}")
    if args.address:
        overrides.append(f"backend.address={args.address}")
    config = load_config(args.config, overrides)
    if args.export_to:  # refused now, not after the whole run
        from polybrief.eval.experiment.export import check_target

        check_target(Path(args.export_to), False, "choose an empty or new folder for --export-to")
    if args.check:
        from polybrief.eval.experiment.fingerprint import input_fingerprint
        from polybrief.eval.experiment.plan import make_plan

        plan = make_plan(config, args.allow_outside)  # reads the data and every system's outputs, as a run would
        fingerprint = input_fingerprint(config, args.allow_outside)
        print(f"{args.config}: valid; {len(plan.systems)} system(s): {_some(plan.names)}; {config.task}; "
              f"run folder {run_dir(config, fingerprint).root}")
        return 0
    paths, record = run_experiment(config, allow_outside=args.allow_outside)
    print(run_summary(record))
    print(f"results:     {paths.results}\npredictions: {paths.predictions}\nleaderboard: {config.leaderboard_path}")
    if args.export_to:
        from polybrief.eval.experiment.export import export_run

        print(f"export:      {export_run(paths.root, args.export_to)}")
    return 0


def _some(names: list[str], shown: int = 10) -> str:
    """The first names and how many more: a grid's hundreds of names on one line help nobody."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f", ... ({more} more)" if more > 0 else "")


def run_summary(run: RunRecord) -> str:
    """What a finished run says on the terminal: its size, then each system's primary scores (with the
    test against the baseline, and the significance group and rank range where every pair was tested)."""
    pair = f" {run.pair}" if run.pair else ""
    lines = [f"run {run.name}/{run.run_id}{pair}: {counted(run.read, run.items[:-1])} x "
             f"{counted(len(run.systems), 'system')} ({counted(run.new_predictions, 'new prediction')})"
             f" in {run.wall_time_s:.1f} s"]
    for system, result in run.systems.items():
        shown = []
        for metric, m in result.metrics.items():
            sig, placed = m.significance, result.placing(metric)
            p_value = "n/a" if sig is None or sig.p_value is None else f"{sig.p_value:.3f}"
            adjusted = _adjusted(run, metric, system, sig.baseline_name) if sig else ""
            shown.append(f"{metric} {m.primary} {m.score:.4g}"
                         + (f" (p={p_value}{adjusted} vs {sig.baseline_name})" if sig else "")
                         + (f" [group {placed.group}, rank {placed.rank_range[0]}-{placed.rank_range[1]}]"
                            if placed else ""))
        lines.append(f"  {system}: " + ("; ".join(shown) or "not scored (no references)"))
    return "\n".join(lines)


def _adjusted(run: RunRecord, metric: str, system: str, baseline: str | None) -> str:
    """The p-value of the pair corrected over all the run's pairs, which is what the significance groups
    follow: beside the plain p, so 'p=0.045' is not read as significant where the groups say it is not."""
    tests = run.pairwise.get(metric)
    pair = next((p for p in tests.pairs if {p["a"], p["b"]} == {system, baseline}), None) if tests else None
    if not pair or pair.get("p_adjusted") is None or len(tests.pairs) < 2:
        return ""
    return f", {pair['p_adjusted']:.3f} corrected over {len(tests.pairs)} pairs"


def add_export_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export", help="export a finished run as a Hugging Face dataset (parquet + dataset card)",
        description="Write RUN_DIR as a dataset that datasets.load_dataset(DIR) loads offline: configs "
                    "'predictions' (default) and 'clusters', parquet shards, and a README.md dataset card.")
    p.add_argument("run_dir", metavar="RUN_DIR")
    p.add_argument("--to", required=True, metavar="DIR", help="output folder")
    p.add_argument("--push-to-hub", default=None, metavar="REPO", help="also push to this hub dataset repo")
    p.add_argument("--overwrite", action="store_true",
                   help="write into a non-empty folder that is not an earlier export")
    p.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    from polybrief.eval.experiment.export import export_run

    target = export_run(args.run_dir, args.to, args.push_to_hub, args.overwrite)
    print(f"exported {args.run_dir} to {target} (load with datasets.load_dataset({str(target)!r}))")
    return 0


def add_leaderboard_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "leaderboard", help="render leaderboard.md and leaderboard.html from leaderboard.jsonl",
        description="One table per dataset and language pair with every metric of its runs: scores with 95% "
                    "intervals, and each system's significance group and rank range from the run's pairwise "
                    "tests; ranked by --metric (default: each table's first metric, ROUGE-2 F for briefings).")
    p.add_argument("--file", default="outputs/leaderboard.jsonl",
                   help="the leaderboard JSONL (default: outputs/leaderboard.jsonl)")
    p.add_argument("--metric", default=None,
                   help="metric or metric.score, e.g. rouge.rougeLsum_f, chrf (default: each table's first metric)")
    p.add_argument("--dataset", default=None, help="only this dataset")
    p.add_argument("--out-dir", default=None, help="where to write (default: beside the JSONL)")
    p.set_defaults(handler=run_leaderboard)


def run_leaderboard(args: argparse.Namespace) -> int:
    from polybrief.eval.experiment.leaderboard import render

    md_path, html_path, markdown = render(Path(args.file), args.metric, args.dataset,
                                          Path(args.out_dir) if args.out_dir else None)
    print(markdown, end="")
    print(f"written: {md_path} and {html_path}", file=sys.stderr)  # stdout stays pure Markdown
    return 0


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    add_run_command(subparsers)
    add_export_command(subparsers)
    add_leaderboard_command(subparsers)
