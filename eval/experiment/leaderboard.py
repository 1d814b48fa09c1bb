"""The leaderboard: ``leaderboard.jsonl`` is the source of truth, Markdown and HTML are views.

Rows (one per run x system x dataset) are appended under a file lock, and a (run, system)
pair already present is not appended again, so concurrent runs never lose or duplicate a
row and resuming a finished run changes nothing. In the views a system is marked as not
significantly different from the best: in the best's significance group when the table is one run's and
its paired tests placed every system, else when their 95% bootstrap intervals overlap (rows of different
runs cannot be paired, so the interval test is the one available to all of them).
"""
from __future__ import annotations

import html
import json
import logging
import math
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from polybrief.core import jsonline
from polybrief.core.errors import PolybriefError, did_you_mean
from polybrief.core.files import write_text_atomic
from polybrief.core.markdown import inert

from .rows import LeaderboardRow, Ranked, scored_count
from .runlog import read_records
from .runrecord import RunRecord

log = logging.getLogger(__name__)
LOCK_TIMEOUT_S = 120


def leaderboard_rows(run: RunRecord, paths: Any) -> list[LeaderboardRow]:
    """One row per scored system of a finished run: every metric's scores, and where the run's pairwise
    tests placed the system (significance group, rank range) with the method that placed it. A system with
    no scores (no references) has no row: a row of blanks ranks nothing and hid the reason from --dataset."""
    examples: dict[str, str] = {}
    for record in read_records(paths.predictions):
        if record["system"] not in examples and not record.get("error"):
            examples[record["system"]] = record.get("output", "") if run.translation else record.get("headline", "")
            if len(examples) == len(run.systems):
                break
    method = {m: p.method for m, p in run.pairwise.items()}
    rows = []
    for system, result in run.systems.items():
        metrics = result.metrics
        if not metrics:
            continue
        rows.append(LeaderboardRow(
            run.run_id, run.name, run.dataset, system, run.date,
            metrics={m: {k: i.to_dict() for k, i in r.scores.items()} for m, r in metrics.items()},
            primary={m: r.primary for m, r in metrics.items()},
            higher_is_better={m: r.higher_is_better for m, r in metrics.items()},
            task=run.task, pair=run.pair, config_hash=run.config_hash, scored=run.scored, items=run.items,
            signatures={m: r.signature for m, r in metrics.items()},
            ranks={m: p for m in metrics if (p := result.placing(m))}, rank_method=method,
            example=examples.get(system, "")))
    return rows


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on the leaderboard itself (flock where the system has it, so no lock file is
    left beside it; a FileLock elsewhere)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        with FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT_S):
            yield
        return
    with path.open("ab") as handle:
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise Timeout(str(path)) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def append_rows(path: Path, rows: list[LeaderboardRow]) -> int:
    """Append rows not yet present (by run and system) under an exclusive lock; returns how many. No rows
    touch nothing: a run with nothing scored leaves no empty leaderboard behind."""
    if not rows:
        return 0
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with locked(path):
            present = {r.key for r in read_rows(path)}
            new = [r for r in rows if r.key not in present]
            torn = path.stat().st_size and not _ends_with_newline(path)
            with path.open("ab") as handle:
                if torn:  # a damaged last line: the next row starts on a line of its own
                    handle.write(b"\n")
                for row in new:
                    handle.write(json.dumps(row.to_dict(), ensure_ascii=False).encode("utf-8") + b"\n")
                handle.flush()
                os.fsync(handle.fileno())
    except Timeout:
        raise PolybriefError(f"{path}: leaderboard locked by another run for {LOCK_TIMEOUT_S} s") from None
    except OSError as exc:
        raise PolybriefError(f"cannot write {path}: {exc.strerror or exc}") from None
    return len(new)


def ranked(rows: list[LeaderboardRow], metric: str) -> list[Ranked]:
    """Rows that have ``metric``, best first, each with its value, interval and whether it is near the best."""
    picked: list[tuple[LeaderboardRow, dict[str, float | None], bool]] = []
    for row in rows:
        got = row.score(metric)
        if got and not math.isfinite(got[0]["score"]):
            log.warning("%s/%s: %s is %s, not ranked", row.name, row.run_id, metric, got[0]["score"])
        elif got:
            picked.append((row, *got))
    if not picked:
        return []
    higher = picked[0][2]
    picked.sort(key=lambda p: (-p[1]["score"] if higher else p[1]["score"], p[0].system, p[0].run_id))
    best = picked[0][1]
    groups = _one_runs_groups([row for row, _, _ in picked], metric)
    return [Ranked(row, scores["score"], scores.get("low"), scores.get("high"),
                   groups[k] == groups[0] if groups else _near(scores, best, higher, k == 0))
            for k, (row, scores, _) in enumerate(picked)]


def _one_runs_groups(rows: list[LeaderboardRow], metric: str) -> list[int] | None:
    """Each row's significance group on ``metric``'s primary score when the rows are one run's and its
    paired tests placed every one of them, else None. Near the best then means the best's group: the interval
    overlap, a weaker test, could contradict the groups printed beside it."""
    name, _, score = metric.partition(".")
    if len({row.run_id for row in rows}) != 1 or (score and score != rows[0].primary.get(name)):
        return None
    placed = [row.ranks.get(name) for row in rows]
    return None if any(p is None for p in placed) else [p.group for p in placed if p is not None]


def _near(scores: dict[str, float | None], best: dict[str, float | None], higher: bool, is_best: bool) -> bool:
    """Whether a score's 95% interval overlaps the best one's (the best is near itself)."""
    if is_best or None in (scores.get("low"), scores.get("high"), best.get("low"), best.get("high")):
        return is_best
    return scores["high"] >= best["low"] if higher else scores["low"] <= best["high"]


def default_metric(rows: list[LeaderboardRow]) -> str:
    names = [m for row in rows for m in row.metrics]
    if not names:
        raise PolybriefError("the leaderboard has no scored rows yet: run an experiment first")
    return "rouge" if "rouge" in names else names[0]


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _is_number(value: Any) -> bool:
    """A JSON number the views can format and compare as a float: an int of 400 digits is not one (float()
    overflows on it, and crashed the whole leaderboard)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        float(value)
    except OverflowError:
        return False
    return True


def _score_problem(metric: str, scores: Any) -> str | None:
    """What is wrong with one metric's scores in a row, or None."""
    if not isinstance(scores, dict) or not scores:
        return f"metric {metric!r} has no scores"
    for name, entry in scores.items():
        if not isinstance(entry, dict) or not _is_number(entry.get("score")):
            return f"{metric}.{name} has no numeric score"
        if any(entry.get(k) is not None and not _is_number(entry.get(k)) for k in ("low", "high")):
            return f"{metric}.{name} has a non-numeric interval"
    return None


def _rank_problem(ranks: Any) -> str | None:
    if not isinstance(ranks, dict):
        return "ranks is not a mapping"
    for metric, placed in ranks.items():
        span = placed.get("rank_range") if isinstance(placed, dict) else None
        if not (isinstance(span, list) and len(span) == 2 and ("group" in placed or "cluster" in placed)):
            return f"rank of {metric!r} has no significance group and rank range"
    return None


def row_problem(row: Any) -> str | None:
    """Why a parsed line cannot be shown (a hand edit, a row of another tool), or None: the views index
    every field checked here, so a row that passes never stops the whole leaderboard from rendering."""
    if not isinstance(row, dict):
        return "not a JSON object"
    missing = [k for k in ("run_id", "system", "dataset", "name", "date") if not isinstance(row.get(k), str)]
    if missing:
        return f"no text {missing[0]!r}"
    metrics = row.get("metrics")
    if not isinstance(metrics, dict):
        return "no 'metrics' mapping"
    for key in ("primary", "higher_is_better"):
        if not isinstance(row.get(key), dict) or not set(metrics) <= set(row[key]):
            return f"'{key}' does not cover every metric"
    for metric, scores in metrics.items():
        problem = _score_problem(metric, scores) or (
            None if row["primary"][metric] in scores else f"primary score of {metric!r} is missing")
        if problem:
            return problem
    if not _is_number(scored_count(row)):
        return "'scored' is not a number"
    wrong = [k for k in ("pair", "task", "items", "example") if row.get(k) is not None and not isinstance(row[k], str)]
    method = row.get("rank_method", {})
    if wrong or not isinstance(method, dict) or not all(isinstance(v, str) for v in method.values()):
        return f"{(wrong or ['rank_method'])[0]!r} has the wrong type"
    return _rank_problem(row.get("ranks", {}))


def read_rows(path: Path) -> list[LeaderboardRow]:
    """Every readable row; a damaged line (torn by a crash, edited by hand) is skipped with a warning
    naming it, so one bad line never hides the rows after it."""
    rows: list[LeaderboardRow] = []
    if not path.exists():
        return rows
    with path.open("rb") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = jsonline.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                row = None
            problem = row_problem(row)
            if problem:
                log.warning("%s:%d: not a leaderboard row (%s), skipped", path, number, problem)
                continue
            rows.append(LeaderboardRow.from_dict(row))
    return rows


def load(path: Path, dataset: str | None = None) -> list[LeaderboardRow]:
    if not path.exists():
        raise PolybriefError(f"{path}: no leaderboard yet (polybrief run CONFIG writes one)")
    rows = read_rows(path)
    if dataset:
        names = sorted({r.dataset for r in rows})
        rows = [r for r in rows if r.dataset == dataset]
        if not rows:  # a dataset is named by the config's data.name (or its file's), not by the experiment
            raise PolybriefError(f"no leaderboard rows for dataset {dataset!r}{did_you_mean(dataset, names)}; "
                                 f"datasets: {', '.join(names) or 'none'}")
    return rows


def _groups(rows: list[LeaderboardRow]) -> list[tuple[str, list[LeaderboardRow]]]:
    """Rows by dataset and language pair, each with its heading: one table each."""
    keys = sorted({(r.dataset, r.pair or "") for r in rows})
    out = []
    for dataset, pair in keys:
        members = [r for r in rows if r.dataset == dataset and (r.pair or "") == pair]
        out.append((f"{dataset} ({members[0].task}{f' {pair}' if pair else ''})", members))
    return out


def _columns(table: list[Ranked], metric: str) -> list[str]:
    """The metrics a table shows: the one it is sorted by first, then every other metric of its rows."""
    others = sorted({m for r in table for m in r.row.metrics} - {metric.partition(".")[0]})
    return [metric] + others


def _cell(row: LeaderboardRow, metric: str) -> tuple[float | None, str, str]:
    """(score, '95% CI', 'group (rank range)') of one metric in one row; None where it has no score."""
    got = row.score(metric)
    if got is None:
        return None, "", ""
    scores, _ = got
    low, high = scores.get("low"), scores.get("high")
    name, _, score_name = metric.partition(".")
    on_primary = not score_name or score_name == row.primary.get(name)  # the pairwise tests rank primaries
    placed = row.ranks.get(name) if on_primary else None
    ci = f"[{low:.4g}, {high:.4g}]" if low is not None else "-"
    placing = f"{placed.group} ({placed.rank_range[0]}-{placed.rank_range[1]})" if placed else ""
    return scores["score"], ci, placing


def _method_note(rows: list[LeaderboardRow]) -> str:
    methods = sorted({m for r in rows for m in r.rank_method.values()})
    if not methods:
        return ""
    return ("Group (rank range): from a paired test of every pair of systems within each run (" + "; ".join(methods)
            + "). In score order, a new significance group starts where every system above is significantly better "
              "than every system below; a rank range runs from 1 + the systems significantly better to N - the systems "
              "significantly worse.")


NEAR_NOTE = ("`*` = not significantly different from the best: in its significance group where a table holds one "
             "run whose paired tests placed every system, else where its 95% interval overlaps the best one's (rows "
             "of different runs cannot be paired).")


def to_markdown(rows: list[LeaderboardRow], metric: str | None = None) -> str:
    """One table per dataset and pair, ranked by ``metric`` (default: each table's own first metric)."""
    out = [f"# Leaderboard{f': {inert(metric)}' if metric else ''}", "",
           NEAR_NOTE, ""]
    note = _method_note(rows)
    if note:
        out += [inert(note), ""]
    for heading, members in _groups(rows):
        by = metric or default_metric(members)
        table = ranked(members, by)
        if not table:
            continue
        metrics = _columns(table, by)
        head = ["rank", "system", "run"] + [h for m in metrics for h in (inert(m), "95% CI", "group")] + [
            table[0].row.items, "date"]
        out += [f"## {inert(heading)}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for rank, placed in enumerate(table, 1):
            row = placed.row
            starred = placed.near_best and rank > 1  # the best row overlaps itself: no news
            cells = [str(rank), inert(row.system) + (" *" if starred else ""), f"{inert(row.name)}/{inert(row.run_id)}"]
            for m in metrics:
                score, ci, placing = _cell(row, m)
                cells += [f"{score:.4g}" if score is not None else "-", ci or "-", placing]
            cells += [str(row.scored), inert(row.date[:10])]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


_STYLE = """body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}th{cursor:pointer;background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.near td{background:#eef7ee}
.note{color:#555;font-size:90%}svg text{font-size:11px}"""

# Click a header to sort (again to reverse); the order lives in the URL (#sort=COLUMN&dir=asc|desc),
# so a sorted view can be shared and reopened.
_SORT_JS = """function sortTable(t,i,dir){var b=t.tBodies[0],r=Array.from(b.rows),d=dir==='desc'?-1:1;
r.sort(function(x,y){var a=x.cells[i].dataset.v||x.cells[i].textContent,c=y.cells[i].dataset.v||y.cells[i].textContent;
var na=parseFloat(a),nc=parseFloat(c);if(!isNaN(na)&&!isNaN(nc))return d*(na-nc);return d*a.localeCompare(c);});
r.forEach(function(x){b.appendChild(x);});t.querySelectorAll('th').forEach(function(h,k){
h.dataset.dir=k===i?dir:'';});}
document.querySelectorAll('table.board').forEach(function(t){t.querySelectorAll('th').forEach(function(th,i){
th.addEventListener('click',function(){var dir=th.dataset.dir==='asc'?'desc':'asc';sortTable(t,i,dir);
history.replaceState(null,'','#sort='+i+'&dir='+dir);});});});
(function(){var m=/sort=(\\d+)(?:&dir=(asc|desc))?/.exec(location.hash);if(!m)return;
document.querySelectorAll('table.board').forEach(function(t){sortTable(t,+m[1],m[2]||'asc');});})();"""


def _plot(table: list[Ranked]) -> str:
    """An inline SVG: each system's score as a dot with its interval as a line."""
    values = [v for r in table for v in (r.value, r.low, r.high) if v is not None]
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    width, left, row_h = 640, 220, 22

    def x(v: float) -> float:
        return left + (v - lo) / span * (width - left - 20)

    parts = [f'<svg width="{width}" height="{row_h * len(table) + 30}" role="img">']
    for k, row in enumerate(table):
        y = 20 + k * row_h
        parts.append(f'<text x="4" y="{y + 4}">{html.escape(row.row.system[:32])}</text>')
        if row.low is not None and row.high is not None:
            parts.append(f'<line x1="{x(row.low):.1f}" y1="{y}" x2="{x(row.high):.1f}" y2="{y}" '
                         'stroke="#888" stroke-width="2"/>')
        colour = "#2a6" if row.near_best else "#999"  # green as in the table: near the best, else grey
        parts.append(f'<circle cx="{x(row.value):.1f}" cy="{y}" r="4" fill="{colour}"/>')
    parts.append(f'<text x="{left}" y="{row_h * len(table) + 26}">{lo:.4g}</text>'
                 f'<text x="{width - 60}" y="{row_h * len(table) + 26}">{hi:.4g}</text></svg>')
    return "".join(parts)


def to_html(rows: list[LeaderboardRow], metric: str | None = None) -> str:
    """A self-contained page, one sortable table per dataset and pair with every metric; every string from
    the data goes through html.escape."""
    e = html.escape
    note = _method_note(rows)
    body = [f"<h1>Leaderboard{f': {e(metric)}' if metric else ''}</h1>",
            f'<p class="note">Click a column to sort. Green rows: {e(NEAR_NOTE.removeprefix("`*` = "))} {e(note)}</p>']
    for heading, members in _groups(rows):
        by = metric or default_metric(members)
        table = ranked(members, by)
        if not table:
            continue
        metrics = _columns(table, by)
        head = "".join(f"<th>{e(m)}</th><th>{e(m)} 95% CI</th><th>{e(m)} group</th>" for m in metrics)
        body += [f"<h2>{e(heading)}</h2>", _plot(table), '<table class="board"><thead><tr>',
                 f"<th>rank</th><th>system</th><th>run</th>{head}<th>{e(table[0].row.items)}</th>"
                 "<th>date</th><th>example</th></tr></thead><tbody>"]
        for rank, placed in enumerate(table, 1):
            row, cells = placed.row, []
            for m in metrics:
                score, ci, placing = _cell(row, m)
                value = "" if score is None else f"{score:.4g}"
                cells.append(f'<td class="num" data-v="{score!r}">{value}</td><td class="num">{e(ci)}</td>'
                             f'<td class="num" data-v="{e(placing.split(" ")[0])}">{e(placing)}</td>')
            body.append(
                f'<tr class="{"near" if placed.near_best else ""}"><td class="num">{rank}</td>'
                f"<td>{e(row.system)}</td><td>{e(row.name)}/{e(row.run_id)}</td>{''.join(cells)}"
                f'<td class="num">{row.scored}</td><td>{e(row.date[:10])}</td>'
                f"<td>{e(row.example or '')}</td></tr>")  # null is allowed in a row
        body.append("</tbody></table>")
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>polybrief leaderboard</title>"
            f"<style>{_STYLE}</style></head><body>{''.join(body)}<script>{_SORT_JS}</script></body></html>\n")


def render(path: Path, metric: str | None = None, dataset: str | None = None,
           out_dir: Path | None = None) -> tuple[Path, Path, str]:
    """Write leaderboard.md and leaderboard.html beside the JSONL (or in ``out_dir``): one table per dataset
    and language pair, ranked by ``metric`` (default: each table's first metric, rouge where present)."""
    rows = load(path, dataset)
    default_metric(rows)  # refuses a leaderboard with no scored row
    if metric and not any(r.score(metric) for r in rows):
        known = sorted({m for r in rows for m in r.metrics})
        scores = sorted({f"{m}.{k}" for r in rows for m, entry in r.metrics.items() for k in entry})
        named = [s for s in scores if s.partition(".")[2].startswith(metric)]  # rouge2 -> rouge.rouge2_f
        hint = f" (did you mean {named[0]!r}?)" if named else did_you_mean(metric, known + scores)
        raise PolybriefError(f"no row has metric {metric!r}{hint}; leaderboard metrics: {', '.join(known)}; a score "
                             "other than a metric's primary one is METRIC.SCORE")
    target = out_dir or path.parent
    md, page = to_markdown(rows, metric), to_html(rows, metric)
    write_text_atomic(target / "leaderboard.md", md)
    write_text_atomic(target / "leaderboard.html", page)
    return target / "leaderboard.md", target / "leaderboard.html", md


__all__ = ["LOCK_TIMEOUT_S", "NEAR_NOTE", "append_rows", "default_metric", "leaderboard_rows", "load", "locked",
           "ranked", "read_rows", "render", "row_problem", "to_html", "to_markdown"]
