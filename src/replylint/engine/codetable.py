"""The one code table (rules/codes.yaml) and the checks that hold every rule file to it.

Codes are user-facing (config `select`, ignore files, baselines), so a code must mean the same
rule in every language pack and in a team's `rule-folders`: one code, one name, in its family's
block of codes, in a file named after the rule. The table is data, so adding a rule or a family
needs no Python; this module only reads it and reports a rule that breaks it as a one-line
rule-file error naming the rule's file.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ruamel.yaml.error import YAMLError

from replylint.errors import RuleFileError
from replylint.limits import LimitError, bounded_yaml

from .model import Rule

TABLE_FILE = "codes.yaml"  # beside the language folders of the bundled rules
PREFIX = "RL"  # the codes the table governs; a team may use a prefix of its own
_BLOCK_RE = re.compile(rf"^{PREFIX}(\d{{3,4}})-{PREFIX}(\d{{3,4}})$")
_CODE_RE = re.compile(rf"^{PREFIX}(\d{{3,4}})$")

_yaml = bounded_yaml("rt")


@dataclass(frozen=True)
class CodeTable:
    """Each family's block of codes and the name each bundled code stands for."""

    path: str
    blocks: dict[str, tuple[int, int]]  # family -> first and last number of its block
    names: dict[str, str]  # code -> rule name
    codes: dict[str, str]  # rule name -> code
    model: dict[str, str] = field(default_factory=dict)  # family -> code of the tone model's findings

    def block_text(self, family: str) -> str:
        first, last = self.blocks[family]
        return f"{PREFIX}{first:03d}-{PREFIX}{last:03d}"

    def free_code(self, family: str) -> str | None:
        """The next code of the family's block after its highest listed one (else any unlisted one)."""
        first, last = self.blocks[family]
        used = [int(code[len(PREFIX):]) for code in self.names if first <= int(code[len(PREFIX):]) <= last]
        after = range(max(used) + 1 if used else first, last + 1)
        taken = set(self.names) | set(self.model.values())
        free = (n for n in (*after, *range(first, last + 1)) if f"{PREFIX}{n:03d}" not in taken)
        return next((f"{PREFIX}{n:03d}" for n in free), None)


def table_path(bundled_root: Path) -> Path:
    return bundled_root / TABLE_FILE


def load_table(path: Path) -> CodeTable:
    """The code table at `path`; a RuleFileError naming the table and line if it is broken."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RuleFileError(str(path), 1, "file", f"cannot be read: {exc.strerror or exc}",
                            "the code table shipped with replylint") from None
    return _parse_table(str(path), data)


@lru_cache(maxsize=4)
def _parse_table(shown: str, data: bytes) -> CodeTable:
    """Parse once per content: a long-running server sees an edited table on its next load."""
    try:
        doc = _yaml.load(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise RuleFileError(shown, 1, "file", f"cannot be read: {exc}") from None
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleFileError(shown, mark.line + 1 if mark else 1, "yaml",
                            f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    except LimitError as exc:
        raise RuleFileError(shown, exc.line or 1, "yaml", str(exc)) from None
    families = doc.get("families") if isinstance(doc, dict) else None
    if not isinstance(families, dict) or not families:
        raise RuleFileError(shown, 1, "families", "missing", "a mapping of family to block and codes")
    blocks: dict[str, tuple[int, int]] = {}
    names: dict[str, str] = {}
    codes: dict[str, str] = {}
    for family, entry in families.items():
        line = _line(families, family)
        key = f"families.{family}"
        block = _BLOCK_RE.match(str(entry.get("block", ""))) if isinstance(entry, dict) else None
        if block is None:
            raise RuleFileError(shown, line, f"{key}.block", "missing or malformed", f"such as {PREFIX}100-{PREFIX}199")
        first, last = int(block[1]), int(block[2])
        for other, (lo, hi) in blocks.items():
            if first <= hi and lo <= last:
                raise RuleFileError(shown, line, f"{key}.block", f"overlaps the block of {other}", "disjoint blocks")
        blocks[family] = (first, last)
        listed = entry.get("codes") or {}
        if not isinstance(listed, dict):
            raise RuleFileError(shown, line, f"{key}.codes", "must be a mapping", "lines such as RL101: flat-no")
        for code, name in listed.items():
            where = _line(listed, code)
            number = _CODE_RE.match(str(code))
            if number is None or not first <= int(number[1]) <= last:
                raise RuleFileError(shown, where, f"{key}.codes", f"{code} is outside the block {entry['block']}",
                                    "a code of the family's block")
            if not isinstance(name, str) or not name:
                raise RuleFileError(shown, where, f"{key}.codes.{code}", "missing rule name", "a rule name")
            if code in names or name in codes:
                taken = code if code in names else name
                raise RuleFileError(shown, where, f"{key}.codes.{code}", f"{taken} is listed twice", "one line each")
            names[code], codes[name] = name, code
    return CodeTable(shown, blocks, names, codes, _model_codes(shown, doc.get("model"), blocks, names))


def _model_codes(shown: str, listed: object, blocks: dict[str, tuple[int, int]], names: dict[str, str]
                 ) -> dict[str, str]:
    """The `model:` table: family -> the code the tone model reports that family's findings
    under; a code of the family's block that no rule may use."""
    if listed is None:
        return {}
    if not isinstance(listed, dict):
        raise RuleFileError(shown, 1, "model", "must be a mapping", "lines such as blunt-no: RL199")
    out: dict[str, str] = {}
    for family, code in listed.items():
        where = _line(listed, family)
        number = _CODE_RE.match(str(code))
        if family not in blocks:
            raise RuleFileError(shown, where, f"model.{family}", "not a family of the table", "a family name")
        first, last = blocks[family]
        if number is None or not first <= int(number[1]) <= last:
            raise RuleFileError(shown, where, f"model.{family}", f"{code} is outside the {family} block",
                                "a code of the family's block")
        if code in names or code in out.values():
            raise RuleFileError(shown, where, f"model.{family}", f"{code} is already taken", "a free code")
        out[str(family)] = str(code)
    return out


def _line(mapping: object, key: object) -> int:
    try:
        return mapping.lc.key(key)[0] + 1  # type: ignore[attr-defined]
    except (AttributeError, KeyError, TypeError):
        return 1


def check_rules(rules: Iterable[Rule], bundled_root: Path) -> tuple[list[Rule], list[RuleFileError]]:
    """The rules that keep to the code table, and one error for each one that does not."""
    try:
        table = load_table(table_path(bundled_root))
    except RuleFileError as exc:
        return list(rules), [exc]  # the table itself is reported; the rules still run
    kept: list[Rule] = []
    errors: list[RuleFileError] = []
    for rule in rules:
        problem = rule_problem(rule, table, bundled=_is_under(rule.path, bundled_root))
        if problem is None:
            kept.append(rule)
        else:
            errors.append(problem)
    return kept, errors


def rule_problem(rule: Rule, table: CodeTable, bundled: bool) -> RuleFileError | None:
    """Why `rule` breaks the code table, as an error naming its file and line; None if it keeps to it."""
    path = Path(rule.path)
    family = rule.family.value
    if path.stem != rule.name:
        return _error(rule, "name", f"{rule.name!r} does not match its file name {path.name!r}",
                      f"the file named {rule.name}.yaml, or name: {path.stem}")
    listed_name = table.names.get(rule.code)
    if listed_name is not None and listed_name != rule.name:
        return _error(rule, "code", f"{rule.code} is {listed_name!r} in the code table {table.path}, "
                      f"not {rule.name!r}", _free(table, family))
    listed_code = table.codes.get(rule.name)
    if listed_code is not None and listed_code != rule.code:
        return _error(rule, "name", f"{rule.name!r} is {listed_code} in the code table {table.path}, "
                      f"not {rule.code}", f"code: {listed_code}, or another name")
    if rule.code in table.model.values():
        return _error(rule, "code", f"{rule.code} is the code of the tone model's findings in the code table "
                      f"{table.path}", _free(table, family))
    number = _CODE_RE.match(rule.code)
    if number is not None and family in table.blocks:
        first, last = table.blocks[family]
        if not first <= int(number[1]) <= last:
            return _error(rule, "code", f"{rule.code} is outside the {family} block {table.block_text(family)} "
                          f"of the code table {table.path}", _free(table, family))
    if bundled and listed_name is None:
        return _error(rule, "code", f"{rule.code} is not in the code table {table.path}",
                      f"a line '{rule.code}: {rule.name}' under {family} there")
    return None


def _free(table: CodeTable, family: str) -> str:
    free = table.free_code(family) if family in table.blocks else None
    own = "a code with a prefix of your own such as TEAM101"
    return f"{own}, or a free code of the {family} block such as {free}" if free else own


def _error(rule: Rule, key: str, problem: str, expected: str) -> RuleFileError:
    return RuleFileError(rule.path, _key_line(Path(rule.path), key), key, problem, expected)


def _key_line(path: Path, key: str) -> int:
    """The line of a top-level key in a rule file (1 if it cannot be found): errors point at it."""
    pattern = re.compile(rf"^['\"]?{key}['\"]?\s*:")
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if pattern.match(line):
                    return number
    except OSError:
        pass
    return 1


def _is_under(path: str, root: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(root.resolve())
    except (OSError, ValueError):
        return False
