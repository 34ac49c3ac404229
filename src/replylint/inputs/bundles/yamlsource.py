"""YAML bundles: compose with ruamel.yaml and map every string scalar back to its exact source text."""
from __future__ import annotations

from typing import Any

import regex
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from replylint.errors import DocumentError
from replylint.limits import bounded_yaml

from ..documents.prose import Prose, ProseBuilder
from .jsonsource import json_escape
from .located import Located, checked

_DQ_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
               "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85", "_": "\xa0",
               "L": "\u2028", "P": "\u2029"}
_HEX_LENGTH = {"x": 2, "u": 4, "U": 8}
_PARENT_INDENT = regex.compile(r"(?:[ ]*-[ ]+)*[ ]*")


class _Pieces:
    """Decoded text in stretches, each standing for a source span; trimmed to a known value at the end."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[tuple[str, int, int]] = []

    def keep(self, start: int, end: int) -> None:
        if end > start:
            self.items.append((self.source[start:end], start, end))

    def emit(self, text: str, start: int, end: int) -> None:
        if text:
            self.items.append((text, start, end))

    def prose(self, value: Located) -> Prose:
        """The pieces as prose, dropping or adding trailing line breaks so they spell `value` (chomping)."""
        total = sum(len(t) for t, _, _ in self.items)
        while total > len(value) and self.items and self.items[-1][0].strip("\n") == "":
            text, s, e = self.items.pop()
            total -= len(text)
            if total < len(value):
                self.items.append((text[: len(value) - total], s, e))
                total = len(value)
        if total < len(value) and value[total:].strip("\n") == "" and self.items:
            at = self.items[-1][2]
            self.items.append((value[total:], at, at))
        builder = ProseBuilder(self.source)
        for text, s, e in self.items:
            builder.emit(text, s, e)
        return checked(builder.build(), value)


class YamlStr(Located):
    """A YAML string scalar in any style; source[start:end] is the node, indicators and quotes included."""

    style: str | None

    def outer(self, source: str) -> Prose:
        pieces = _Pieces(source)
        if self.style in ("|", ">"):
            _block(pieces, source, self.start, self.end, self.style == ">")
        else:
            _flow(pieces, source, self.start, self.end, self.style)
        return pieces.prose(self)

    def escape(self, text: str) -> str:
        if self.style == '"':
            return json_escape(text)
        if self.style == "'":
            return text.replace("'", "''")
        return text


def _line_spans(source: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each line of source[start:end], end before the '\\n' (and a '\\r' before it)."""
    spans = []
    pos = start
    while pos <= end:
        nl = source.find("\n", pos, end)
        stop = end if nl < 0 else nl
        spans.append((pos, stop - 1 if stop > pos and source[stop - 1] == "\r" else stop))
        if nl < 0:
            break
        pos = nl + 1
    return spans


def _flow(pieces: _Pieces, source: str, start: int, end: int, style: str | None) -> None:
    """A plain, single- or double-quoted scalar: line folding plus the style's escapes."""
    if style in ("'", '"'):
        start, end = start + 1, end - 1
    lines = _line_spans(source, start, end)
    breaks, gap_from, joined = 0, None, False
    for i, (ls, le) in enumerate(lines):
        first, last = i == 0, i == len(lines) - 1
        cs = ls if first else ls + len(source[ls:le]) - len(source[ls:le].lstrip(" \t"))
        ce = le
        escaped_break = False
        if style == '"' and not last:
            run = len(source[ls:le]) - len(source[ls:le].rstrip("\\"))
            escaped_break = run % 2 == 1
        if escaped_break:
            ce = le - 1
        elif not last:
            ce = cs + len(source[cs:le].rstrip(" \t"))
        if not first and cs >= ce and not last:
            breaks += 1
            continue
        if gap_from is not None:
            fold = "" if joined else (" " if breaks == 0 else "\n" * breaks)
            pieces.emit(fold, gap_from, cs)
        _decode_line(pieces, source, cs, ce, style)
        gap_from, breaks, joined = ce, 0, escaped_break


def _decode_line(pieces: _Pieces, source: str, start: int, end: int, style: str | None) -> None:
    """One line of a flow scalar, with `''` or backslash escapes decoded."""
    if style is None:
        pieces.keep(start, end)
        return
    marker = "''" if style == "'" else "\\"
    pos = start
    while True:
        i = source.find(marker, pos, end)
        if i < 0:
            pieces.keep(pos, end)
            return
        pieces.keep(pos, i)
        if marker == "''":
            pieces.emit("'", i, i + 2)
            pos = i + 2
            continue
        kind = source[i + 1]
        if kind in _HEX_LENGTH:
            stop = i + 2 + _HEX_LENGTH[kind]
            pieces.emit(chr(int(source[i + 2:stop], 16)), i, stop)
            pos = stop
        else:
            pieces.emit(_DQ_ESCAPES.get(kind, kind), i, i + 2)
            pos = i + 2


def _block(pieces: _Pieces, source: str, start: int, end: int, folded: bool) -> None:
    """A literal `|` or folded `>` block scalar: indentation stripped, breaks kept or folded."""
    header_end = source.find("\n", start, end)
    if header_end < 0:
        return
    lines = _line_spans(source, header_end + 1, end)
    digits = regex.search(r"[1-9]", source[start:header_end].split("#")[0])
    if digits:
        prefix = source[source.rfind("\n", 0, start) + 1:start].rstrip()
        parent = len(prefix) - 1 if prefix.endswith("-") else len(_PARENT_INDENT.match(prefix).group())
        indent = max(parent, 0) + int(digits.group())
    else:
        content = [source[ls:le] for ls, le in lines if source[ls:le].strip(" ")]
        if not content:
            for ls, le in lines:
                pieces.emit("\n", ls, le)
            return
        indent = len(content[0]) - len(content[0].lstrip(" "))
    prev: tuple[int, bool] | None = None  # (end of previous content line, was it more-indented)
    blanks = 0
    for ls, le in lines:
        blank = le - ls <= indent and not source[ls:le].strip(" ")
        if blank:
            if prev is None:
                pieces.emit("\n", ls, le)
            else:
                blanks += 1
            continue
        spaced = source[ls + indent:ls + indent + 1] in (" ", "\t")
        if prev is not None:
            prev_end, prev_spaced = prev
            if folded and not spaced and not prev_spaced:
                pieces.emit(" " if blanks == 0 else "\n" * blanks, prev_end, ls + indent)
            else:
                pieces.emit("\n" * (blanks + 1), prev_end, ls + indent)
        pieces.keep(ls + indent, le)
        prev, blanks = (le, spaced), 0
    last_end = prev[0] if prev else end
    pieces.emit("\n" * (blanks + 1), last_end, min(last_end + 1, end))


def _tag(node: Node) -> str:
    tag = node.tag
    return tag if isinstance(tag, str) else str(getattr(tag, "value", tag))


def _scalar(node: ScalarNode) -> Any:
    tag = _tag(node)
    if tag.endswith(":str"):
        value = node.value.replace("\a", "") if node.style == ">" else node.value
        located = YamlStr(value, node.start_mark.index, node.end_mark.index)
        located.style = node.style
        return located
    if tag.endswith(":null"):
        return None
    if tag.endswith(":bool"):
        return node.value.lower() in ("true", "yes", "on")
    if tag.endswith(":int"):
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return node.value
    return node.value


def _convert(node: Node, memo: dict[int, Any]) -> Any:
    if id(node) in memo:
        return memo[id(node)]
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        items: list[Any] = []
        memo[id(node)] = items
        items.extend(_convert(child, memo) for child in node.value)
        return items
    if isinstance(node, MappingNode):
        mapping: dict[Any, Any] = {}
        memo[id(node)] = mapping
        for key_node, value_node in node.value:
            key = _convert(key_node, memo)
            if isinstance(key, str | int | float | bool) or key is None:
                mapping[str(key) if isinstance(key, str) else key] = _convert(value_node, memo)
        return mapping
    return None


def parse_yaml(text: str) -> list[Any]:
    """Every document in `text`, string scalars as YamlStr; DocumentError (with line and column) if
    malformed, LimitError (a DocumentError) past the depth or alias limits. An aliased node is
    converted once and shared (a self-reference makes a cycle): walk the result by identity."""
    try:
        nodes = list(bounded_yaml().compose_all(text))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DocumentError(f"invalid YAML{where}: {problem}") from None
    except YAMLError as exc:
        raise DocumentError("invalid YAML: " + " ".join(str(exc).split())) from None
    memo: dict[int, Any] = {}
    return [_convert(node, memo) for node in nodes if node is not None]
