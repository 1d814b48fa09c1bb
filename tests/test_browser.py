"""The leaderboard page in a real browser: headless Chromium sorts by a column and we read the order.

``make test`` installs Debian's chromium; where it cannot be installed the test is skipped and
says why.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from polybrief.eval.experiment.leaderboard import to_html
from polybrief.eval.experiment.rows import LeaderboardRow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync", "--disable-quic"]


def row(system: str, value: float) -> dict:
    return {"run_id": "r1", "name": "demo", "dataset": "d", "system": system, "config_hash": "h",
            "date": "2026-11-22T00:00:00", "clusters": 10, "metrics": {"rouge": {"rouge2_f": {
                "score": value, "low": value - 0.01, "high": value + 0.01}}},
            "primary": {"rouge": "rouge2_f"}, "higher_is_better": {"rouge": True}, "signatures": {},
            "example": f"<b>{system}</b> headline"}


def typed(rows: list[dict]) -> list[LeaderboardRow]:
    return [LeaderboardRow.from_dict(r) for r in rows]


def systems_in_dom(page, fragment: str, tmp_path, table: int = 0) -> list[str]:
    path = tmp_path / "leaderboard.html"
    path.write_text(page, encoding="utf-8")
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                             f"file://{path}{fragment}"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    body = result.stdout.split("<tbody>")[table + 1].split("</tbody>")[0]
    return [re.findall(r"<td>(.*?)</td>", tr)[0] for tr in body.split("<tr")[1:]]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (make test installs Debian's chromium; "
                                             "it could not be installed here)")
def test_chromium_sorts_the_leaderboard(tmp_path):
    page = to_html(typed([row("beta", 0.30), row("alpha", 0.10), row("gamma", 0.20)]), "rouge")
    assert systems_in_dom(page, "", tmp_path) == ["beta", "gamma", "alpha"]  # ranked by score
    assert systems_in_dom(page, "#sort=1&dir=asc", tmp_path) == ["alpha", "beta", "gamma"]  # by system name
    assert systems_in_dom(page, "#sort=3&dir=asc", tmp_path) == ["alpha", "gamma", "beta"]  # by score, ascending
    dom_page = (tmp_path / "leaderboard.html").read_text()
    assert "&lt;b&gt;beta&lt;/b&gt;" in dom_page and "<b>" not in dom_page


def mt_row(system: str, bleu: float, chrf: float, cluster: int) -> dict:
    score = {"bleu": {"score": {"score": bleu, "low": bleu - 1, "high": bleu + 1}},
             "chrf": {"score": {"score": chrf, "low": chrf - 1, "high": chrf + 1}}}
    placed = {"group": cluster, "rank_range": [cluster, cluster]}
    return {"run_id": "r2", "name": "wmt", "dataset": "wmt23", "pair": "en-de", "task": "translation",
            "system": system, "config_hash": "h", "date": "2026-11-23T00:00:00", "clusters": 557, "items": "segments",
            "metrics": score, "primary": {"bleu": "score", "chrf": "score"},
            "higher_is_better": {"bleu": True, "chrf": True}, "signatures": {},
            "ranks": {"bleu": placed, "chrf": placed}, "rank_method": {"bleu": "paired-bs, bh correction"},
            "example": "Ein Satz."}


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (make test installs Debian's chromium; "
                                             "it could not be installed here)")
def test_chromium_sorts_every_metric_of_a_translation_table(tmp_path):
    """One table per dataset and pair, every metric a column: sort by chrF (column 6) and by cluster."""
    rows = [mt_row("A", 40.0, 60.0, 2), mt_row("B", 45.0, 58.0, 1), mt_row("C", 30.0, 65.0, 3), row("s", 0.2)]
    page = to_html(typed(rows))
    assert "en-de" in page and "segments" in page and "bh correction" in page
    assert systems_in_dom(page, "", tmp_path, table=0) == ["s"]  # dataset d: its own table, by rouge
    assert systems_in_dom(page, "", tmp_path, table=1) == ["B", "A", "C"]  # wmt23 en-de: by BLEU, its first metric
    assert systems_in_dom(page, "#sort=6&dir=desc", tmp_path, table=1) == ["C", "A", "B"]  # by chrF
    assert systems_in_dom(page, "#sort=8&dir=asc", tmp_path, table=1) == ["B", "A", "C"]  # by chrF cluster
