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

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync", "--disable-quic"]


def row(system: str, value: float) -> dict:
    return {"run_id": "r1", "name": "demo", "dataset": "d", "system": system, "config_hash": "h",
            "date": "2026-11-22T00:00:00", "clusters": 10, "metrics": {"rouge": {"rouge2_f": {
                "score": value, "low": value - 0.01, "high": value + 0.01}}},
            "primary": {"rouge": "rouge2_f"}, "higher_is_better": {"rouge": True}, "signatures": {},
            "example": f"<b>{system}</b> headline"}


def systems_in_dom(page, fragment: str, tmp_path) -> list[str]:
    path = tmp_path / "leaderboard.html"
    path.write_text(page, encoding="utf-8")
    result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                             f"file://{path}{fragment}"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    body = result.stdout.split("<tbody>")[1].split("</tbody>")[0]
    return [re.findall(r"<td>(.*?)</td>", tr)[0] for tr in body.split("<tr")[1:]]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (make test installs Debian's chromium; "
                                             "it could not be installed here)")
def test_chromium_sorts_the_leaderboard(tmp_path):
    page = to_html([row("beta", 0.30), row("alpha", 0.10), row("gamma", 0.20)], "rouge")
    assert systems_in_dom(page, "", tmp_path) == ["beta", "gamma", "alpha"]  # ranked by score
    assert systems_in_dom(page, "#sort=1&dir=asc", tmp_path) == ["alpha", "beta", "gamma"]  # by system name
    assert systems_in_dom(page, "#sort=3&dir=asc", tmp_path) == ["alpha", "gamma", "beta"]  # by score, ascending
    dom_page = (tmp_path / "leaderboard.html").read_text()
    assert "&lt;b&gt;beta&lt;/b&gt;" in dom_page and "<b>" not in dom_page
