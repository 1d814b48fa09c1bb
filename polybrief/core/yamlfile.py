"""YAML files a user hands us (experiment configs, cluster.yaml), read with bounds.

The safe loader refuses Python tags, but not aliases: a 1.3 KB "billion laughs" file expands to gigabytes
once it is dumped or hashed, and a few thousand nested brackets overflow the parser's recursion. Both are
refused here in one line, after composing the node graph and before building any Python value; so is a
file that is not UTF-8, which a YAML reader would otherwise guess at or fail on with a traceback.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

MAX_VALUES = 100_000  # scalars, lists and mappings after aliases are expanded: configs have hundreds
MAX_DEPTH = 50  # nesting levels: configs have five or six


def decode_utf8(data: bytes, where: str) -> str:
    """The text of a YAML file that must be UTF-8 (a UTF-8 byte-order mark is allowed)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{where}: UTF-16 text; save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(f"{where}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8") from None


def _check_bounds(root: yaml.Node, where: str) -> None:
    """Count the values the document expands to (an alias counts as often as it is used) and its depth,
    stopping at the first bound crossed, so an alias bomb costs microseconds."""
    seen, stack = 0, [(root, 1)]
    while stack:
        node, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise InputError(f"{where}: expands to more than {MAX_VALUES} values (YAML aliases?); write it out")
        if depth > MAX_DEPTH:
            raise InputError(f"{where}:{node.start_mark.line + 1}: nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.MappingNode):
            stack += [(n, depth + 1) for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(n, depth + 1) for n in node.value]


def _problem(exc: yaml.YAMLError, where: str) -> str:
    mark = getattr(exc, "problem_mark", None)
    at = f"{where}:{mark.line + 1}" if mark else where
    return f"{at}: not valid YAML ({getattr(exc, 'problem', None) or str(exc).splitlines()[0]})"


def load_yaml_text(text: str, where: str) -> tuple[Any, yaml.Node | None]:
    """The value of a YAML document and its node graph (for line numbers), within the bounds above."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        if root is None:
            return None, None
        _check_bounds(root, where)
        return yaml.safe_load(text), root
    except RecursionError:
        raise InputError(f"{where}: nested too deeply to read") from None
    except yaml.YAMLError as exc:
        raise InputError(_problem(exc, where) + _quoting_hint(exc, text)) from None


def _quoting_hint(exc: yaml.YAMLError, text: str) -> str:
    """In a flow mapping (``{outputs: ${data.path}/systems}``) the braces of ``${...}`` end the mapping: the
    parser's words do not say that quoting the value is the fix."""
    mark = getattr(exc, "problem_mark", None)
    lines = text.splitlines()
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    return "; quote a value that holds ${...} ('${data.path}/systems')" if "${" in line else ""


def read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """``load_yaml_text`` of a file, every failure to read it one line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return load_yaml_text(decode_utf8(data, str(path)), str(path))


__all__ = ["MAX_DEPTH", "MAX_VALUES", "decode_utf8", "load_yaml_text", "read_yaml"]
