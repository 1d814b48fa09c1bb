"""One house: installing polybrief adds exactly one top-level import name, ``polybrief``.

The repository keeps ``summarize/`` and ``eval/`` at its top level; setuptools maps them to
``polybrief.summarize`` and ``polybrief.eval``. Checked on a built wheel and on the editable
install that ``make`` creates, and statically: the metrics never import the briefing code,
and the briefing code never imports scoring.
"""
from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(out), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    return next(out.glob("polybrief-*.whl"))


def test_wheel_installs_one_top_level_name(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert top == {"polybrief"}
    for module in ("polybrief/summarize/pipeline.py", "polybrief/eval/metrics/bleu.py", "polybrief/cli/__init__.py",
                   "polybrief/core/readers.py", "polybrief/eval/hf/modules/rouge/rouge.py", "polybrief/__main__.py",
                   "polybrief/eval/learned/model/mqm.json", "polybrief/eval/learned/model/mqm.npz"):
        assert module in names, module
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "polybrief = polybrief.cli:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_every_package_directory_is_in_the_wheel(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for top, installed in (("summarize", "polybrief/summarize"), ("eval", "polybrief/eval"),
                           ("polybrief", "polybrief")):
        for init in (ROOT / top).rglob("__init__.py"):
            assert f"{installed}/{init.relative_to(ROOT / top).as_posix()}" in names, init


def test_editable_install_maps_the_repository_folders(tmp_path):
    """From any folder, with an ``eval.py`` lying there, the editable install finds our code."""
    (tmp_path / "eval.py").write_text("raise SystemExit('the wrong eval was imported')\n")
    probe = ("import importlib.util as u, polybrief.summarize.pipeline as s, polybrief.eval.metrics as m;"
             "print(s.__file__); print(m.__file__); print(u.find_spec('summarize'))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    pipeline, metrics, bare = result.stdout.split()
    assert Path(pipeline) == ROOT / "summarize" / "pipeline.py"
    assert Path(metrics) == ROOT / "eval" / "metrics" / "__init__.py"
    assert bare == "None"  # no top-level `summarize` is installed


def test_python_dash_m_polybrief_is_the_console_script():
    result = subprocess.run([sys.executable, "-m", "polybrief", "--version"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("polybrief ")


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, at module top level?) for every import in a file, relative ones resolved."""
    package = ".".join(("polybrief",) + path.relative_to(ROOT).with_suffix("").parts[:-1])
    package = package.replace("polybrief.polybrief", "polybrief")
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top_level = {id(node) for node in tree.body}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, id(node) in top_level) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            found.append((base, id(node) in top_level))
    return found


def test_briefing_code_never_imports_scoring():
    for path in (ROOT / "summarize").rglob("*.py"):
        for module, _ in _imports(path):
            assert not module.startswith(("polybrief.eval", "eval")), f"{path}: imports {module}"


def test_metrics_and_statistics_stand_without_the_briefing_code():
    """Scoring never needs the briefing code: only the experiment runner loads it, when it runs a briefing."""
    for path in (ROOT / "eval").rglob("*.py"):
        for module, top in _imports(path):
            if module.startswith("polybrief.summarize") or module.startswith("summarize"):
                assert "experiment" in path.parts and not top, f"{path}: imports {module} at import time"
    for path in (ROOT / "polybrief" / "core").rglob("*.py"):
        for module, _ in _imports(path):
            assert not module.startswith(("polybrief.summarize", "polybrief.eval", "polybrief.cli")), path
