"""Every public module of eval/, summarize/ and polybrief/core/ (and the public API) says what it exports
(``__all__``), and exports only names it has: a reader sees a module's surface without reading its body
(issue 22 item 7)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PENDING: tuple[str, ...] = ()  # modules waiting for __all__ (none now)


def _public_modules() -> list[Path]:
    paths = []
    for top in ("eval", "summarize", "polybrief/core"):
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            private = any(part.startswith("_") and part != "__init__.py" for part in path.relative_to(ROOT).parts)
            if not private and not rel.startswith(PENDING):
                paths.append(path)
    return paths + [ROOT / "polybrief" / "api.py", ROOT / "polybrief" / "docreport.py"]


def _exports(tree: ast.Module) -> list[str] | None:
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            return list(ast.literal_eval(node.value))
    return None


def test_every_public_module_has_all_and_it_names_only_what_the_module_binds():
    assert len(_public_modules()) > 50
    for path in _public_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        exports = _exports(tree)
        assert exports is not None, f"{path.relative_to(ROOT)}: no __all__"
        bound = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, (ast.Import, ast.ImportFrom)) for alias in node.names}
        bound |= {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        bound |= {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                  if isinstance(t, ast.Name)}
        bound |= {node.target.id for node in tree.body if isinstance(node, ast.AnnAssign)
                  and isinstance(node.target, ast.Name)}
        lazy = {n for n in exports if n not in bound and path.name == "__init__.py"}  # module __getattr__
        assert not set(exports) - bound - lazy, f"{path.relative_to(ROOT)}: exports unbound names"
