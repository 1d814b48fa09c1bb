"""Generated hostile inputs (issue 20): hypothesis writes configs, segment and article files and
leaderboard rows, and every command must answer with a result or one line of error, never with the
CLI's "unexpected ... (a bug in polybrief ...)" line or a traceback.

Configs are mutations of the ones in configs/ (wrong types, unknown keys, huge, negative and NaN
numbers, deep nesting, aliases, odd unicode, other encodings), checked as ``polybrief run CONFIG
--check`` checks them. Derandomized: a red build always reproduces.
"""
from __future__ import annotations

import json
import math
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ROOT, SEEDS, CliResult, polybrief

SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
BUG = "a bug in polybrief"  # what polybrief.cli.dispatch says of an internal error (a crash)


def assert_answered(result: CliResult) -> None:
    """A result (exit 0) or exactly one error line and a non-zero exit; never an internal error. On a
    failure every line on stderr is polybrief's own, prefixed, so a stray traceback or a message running
    over several lines fails."""
    assert BUG not in result.stderr and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("polybrief: error: ")]
    if result.returncode == 0:
        assert not errors, result.stderr
    else:
        assert len(errors) == 1 and all(line.startswith("polybrief: ") for line in lines), result.stderr


def _folder(factory: Any) -> Path:
    """A fresh folder per example: hypothesis runs many examples inside one test."""
    return Path(tempfile.mkdtemp(dir=factory.getbasetemp()))


# (a) configs -------------------------------------------------------------------------------------

def _base(name: str) -> dict[str, Any]:
    """A shipped config with its data path made absolute, so it can be written anywhere."""
    path = ROOT / "configs" / name
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["data"]["path"] = str((path.parent / config["data"]["path"]).resolve())
    config["output"]["dir"] = "out"
    return config


BASES = {name: _base(name) for name in ("seeds.yaml", "es-en-sample.yaml")}
ODD_TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=20)
WORDS = st.sampled_from(["", "nan", ".inf", "-1", "1e400", "0x1F", "~", "yes", "${data.path}", "${nope}", "../..",
                         "/etc", "\u202e\u200b", "🙂", "bleu:tokenize=nope", "chrf:char_order=0", "rouge:stem=maybe",
                         "lead", "support", "ｓｕｐｐｏｒｔ", "x" * 300])
NUMBERS = st.one_of(st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True),
                    st.sampled_from([0, -1, 2**63, 10**400 // 10**380, 1e308, -0.0]))


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


VALUES = st.one_of(st.none(), st.booleans(), NUMBERS, ODD_TEXT, WORDS,
                   st.lists(st.one_of(NUMBERS, WORDS), max_size=3),
                   st.dictionaries(WORDS, st.one_of(NUMBERS, WORDS), max_size=3),
                   st.integers(min_value=1, max_value=400).map(_nested))


def _places(node: Any, at: tuple = ()) -> list[tuple]:
    """Every path (keys and list indices) into a config, the root included (the caller leaves it out: a
    config that is not a mapping at all is one case, not half the examples)."""
    out = [at]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _places(value, (*at, key))
    elif isinstance(node, list):
        for k, value in enumerate(node):
            out += _places(value, (*at, k))
    return out


def _mutate(config: Any, place: tuple, how: str, value: Any, key: str) -> Any:
    """``config`` with one change at ``place``: its value replaced, an unknown key added, the key removed,
    or its value also given under another key (an alias in the YAML that safe_dump writes)."""
    if not place:
        return value if how == "replace" else config
    parent = config
    for step in place[:-1]:
        parent = parent[step]
    last = place[-1]
    if how == "replace":
        parent[last] = value
    elif how == "add" and isinstance(parent[last], dict):
        parent[last][key] = value
    elif how == "drop":
        del parent[last]
    elif how == "alias" and isinstance(config, dict):
        config[key if key in config else "systems"] = parent[last]
    return config


@st.composite
def configs(draw: Any) -> bytes:
    """A shipped config after one to three mutations, as bytes in one of several encodings."""
    config = json.loads(json.dumps(BASES[draw(st.sampled_from(sorted(BASES)))]))  # a deep copy
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = _places(config)[1:]
        if not places:
            break
        place = draw(st.randoms(use_true_random=False)).choice(places)  # sampled_from favours the first key
        config = _mutate(config, place, draw(st.sampled_from(["replace", "add", "drop", "alias"])), draw(VALUES),
                         draw(st.sampled_from(["bogus", "systems", "metrics", "statistics", "data", "ünï", ""])))
    text = yaml.safe_dump(config, allow_unicode=True)
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "utf-16", "latin-1"]))
    return text.encode(encoding, "replace")


@SETTINGS
@given(configs())
def test_any_mutated_config_is_valid_or_one_line(tmp_path_factory, data):
    folder = _folder(tmp_path_factory)
    config = folder / "c.yaml"
    config.write_bytes(data)
    result = polybrief("run", config, "--check", cwd=folder)
    assert_answered(result)
    if result.returncode == 0:
        assert "valid;" in result.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["c.yaml"]  # --check writes nothing


@SETTINGS
@given(st.sampled_from(sorted(BASES)), st.integers(min_value=0, max_value=3000), st.sampled_from(["[", "{a: ", "- "]),
       st.one_of(st.none(), VALUES))
def test_a_config_cut_short_nested_deep_or_not_a_mapping_is_one_line(tmp_path_factory, name, cut, opener, whole):
    folder = _folder(tmp_path_factory)
    text = yaml.safe_dump(BASES[name]) if whole is None else yaml.safe_dump(whole, allow_unicode=True)
    config = folder / "c.yaml"
    config.write_text(text[:cut] + opener * (cut // 3), encoding="utf-8")
    assert_answered(polybrief("run", config, "--check", cwd=folder))


# (b) files: segments for score, articles for brief -----------------------------------------------

LINE = st.one_of(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),
                 st.sampled_from(["", " ", "\t", "é", "日本語の文", "\u2028", "\x85", "\ufeff", "x" * 20_000]))
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"]


@st.composite
def text_files(draw: Any) -> bytes:
    """Lines joined by LF, CRLF or CR, encoded one way or another, sometimes with a stray byte; or any bytes."""
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        return draw(st.binary(max_size=300))
    lines = draw(st.lists(LINE, max_size=8))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), "replace")
    if data and draw(st.booleans()):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        data = data[:at] + draw(st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\r"])) + data[at:]
    return data


def lines_in(data: bytes) -> int | None:
    """How many lines a file holds, by this test's own reading (a BOM names UTF-16/32, else UTF-8): the
    line feeds, plus one for a last line without one. None where the bytes are not text by that rule."""
    boms = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
            (b"\xfe\xff", "utf-16"))
    encoding = next((name for bom, name in boms if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


@SETTINGS
@given(text_files())
def test_score_reads_every_line_of_a_file_it_accepts(tmp_path_factory, data):
    folder = _folder(tmp_path_factory)
    path = folder / "hyp.txt"
    path.write_bytes(data)
    result = polybrief("score", "--hyp", path, "--ref", path, "--metrics", "chrf", "--resamples", "0",
                       "--format", "json")
    assert_answered(result)
    if result.returncode == 0:
        assert json.loads(result.stdout)["segments"] == lines_in(data)


@settings(SETTINGS, max_examples=20)
@given(text_files())
def test_brief_of_any_article_file_is_a_briefing_or_one_line(tmp_path_factory, data):
    folder = _folder(tmp_path_factory)
    (folder / "hostile.txt").write_bytes(data)
    (folder / "seed.txt").write_bytes(sorted(SEEDS.glob("*.txt"))[0].read_bytes())
    result = polybrief("brief", folder, "--translator", "none", "--method", "lead", "--format", "json")
    assert_answered(result)
    if result.returncode == 0:
        assert json.loads(result.stdout.splitlines()[0])["headline"]


# (c) leaderboard rows ----------------------------------------------------------------------------

def _row(system: str, score: Any, low: Any = None, high: Any = None) -> dict[str, Any]:
    interval = {} if low is None else {"low": low, "high": high}
    return {"run_id": "r1", "name": "t", "dataset": "d", "system": system, "date": "2026-11-30T00:00:00",
            "clusters": 3, "metrics": {"chrf": {"score": {"score": score, **interval}}},
            "primary": {"chrf": "score"}, "higher_is_better": {"chrf": True}}


JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.floats(allow_nan=True), st.integers(), ODD_TEXT),
                    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(ODD_TEXT, inner, max_size=3)),
                    max_leaves=8)
SCORES = st.one_of(st.floats(allow_nan=True), st.integers(min_value=-(10**400), max_value=10**400), ODD_TEXT)


@st.composite
def hostile_lines(draw: Any, number: int) -> tuple[str, str]:
    """(line, system) of the row appended as line ``number``: a row with a hostile score or interval, a row
    with one field replaced by any JSON value, any JSON value, or text that is no JSON at all."""
    system = f"hostile{number}"
    kind = draw(st.integers(min_value=0, max_value=3))
    if kind == 0:
        row: Any = {**_row(system, draw(SCORES), draw(st.one_of(st.none(), SCORES)), draw(SCORES)),
                    "run_id": f"run{number}"}  # a score left unranked is named by its run
    elif kind == 1:
        row = {**_row(system, 40.0, 35.0, 45.0), "run_id": f"run{number}"}
        row[draw(st.sampled_from(sorted(set(row) - {"system"}) + ["ranks", "pair", "example"]))] = draw(JSON)
    elif kind == 2:
        row = draw(JSON)
    else:
        return draw(st.sampled_from(["{", "NaN", "[1,", "\x00", "{\"system\": " + "9" * 5000 + "}"])), system
    return json.dumps(row, ensure_ascii=draw(st.booleans())), system


@SETTINGS
@given(st.data())
def test_leaderboard_shows_good_rows_names_bad_ones_and_never_ranks_nan(tmp_path_factory, data):
    folder = _folder(tmp_path_factory)
    good = [_row("good1", 50.0, 45.0, 55.0), _row("good2", 30.0, 25.0, 35.0)]
    appended = [data.draw(hostile_lines(number)) for number in range(3, 3 + data.draw(st.integers(1, 4)))]
    board = folder / "leaderboard.jsonl"
    board.write_text("\n".join([json.dumps(r) for r in good] + [line for line, _ in appended]) + "\n",
                     encoding="utf-8")
    result = polybrief("leaderboard", "--file", board)
    assert_answered(result)
    assert result.returncode == 0
    table = [line.split(" | ") for line in result.stdout.splitlines()  # ranked rows of every table, no headings
             if line.startswith("| ") and not line.startswith("| rank |")]
    shown = [cells[1].removesuffix(" *") for cells in table]
    assert "good1" in shown and "good2" in shown
    for number, (line, system) in enumerate(appended, 3):
        unscored = '"metrics": {}' in line  # a run without references writes such rows: nothing to rank
        unranked = re.search(rf"/run{number}: \S+ is \S+, not ranked", result.stderr)
        assert system in shown or f"{board}:{number}:" in result.stderr or unranked or unscored, (number, result.stderr)
    for cells in table:
        score = cells[3].strip()
        assert score == "-" or math.isfinite(float(score)), cells
