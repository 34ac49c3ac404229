"""Running the examples written in rule files: one implementation for the test suite and for
`replylint rules --test`, so a team's CI holds its own rules to the same proof as the bundled ones.

Each rule's `flagged` examples must be flagged at exactly the marked span (and a `fixed` one
must be what the first rewrite gives, and clean), its `allowed` examples must be clean of the
rule's family, its `instead` examples must get no warning, and each `unless` example must be
matched by the rule's patterns and then rescued by the exception. A rule that does not compile
is a rule-file error, not a failing example: its examples would pass vacuously. Shared lists
(`<lang>/_lists/<name>.yaml`) are held to their own `matched` / `not-matched` examples.
"""
from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from replylint.engine.config import Config
from replylint.engine.marked_text import parse_marked
from replylint.engine.matching import CompiledRules, compiled_rules, match_key
from replylint.engine.model import Anchor, Examples, Family, FlaggedExample, Rule, Severity, Unless
from replylint.engine.normalize import fold
from replylint.engine.packs import bundled_rules_dir
from replylint.engine.positions import normalize_quotes
from replylint.engine.rulelists import SharedList, load_lists
from replylint.engine.ruleset import ANY_LANGUAGE, available_languages, load_rules
from replylint.errors import RuleFileError


def _check(text: str, rule: Rule, folders: tuple[str, ...], select: tuple[str, ...] = ()) -> list:
    import replylint  # the public API, as a user's check would run

    return replylint.check(text, lang=rule.lang, config=Config(select=select, rule_folders=folders))


def compile_problem(rule: Rule, folders: tuple[str, ...] = ()) -> RuleFileError | None:
    """Why `rule` did not compile in its language, or None when it is usable."""
    compiled = compiled_rules(rule.lang, folders)
    if any(r.code == rule.code and r.path == rule.path for r in compiled.usable):
        return None
    mine = [e for e in compiled.errors if e.path == rule.path]
    return mine[0] if mine else RuleFileError(rule.path, 1, "rule", "did not compile")


def flagged_problem(rule: Rule, example: FlaggedExample, folders: tuple[str, ...] = ()) -> str | None:
    """A flagged example must be flagged by this rule at exactly its `[[marked]]` spans."""
    text, spans = parse_marked(example.text)
    found = _check(text, rule, folders, (rule.code,))
    if not found:
        return "flagged example not flagged"
    if [(f.start, f.end) for f in found] != spans:
        got = ", ".join(repr(f.matched) for f in found)
        want = ", ".join(repr(text[s:e]) for s, e in spans)
        return f"flagged example flagged at {got}, not at the marked {want}"
    if any(f.family != rule.family.value for f in found):
        return "flagged example reported under another family"
    return None


def fixed_problem(rule: Rule, example: FlaggedExample, folders: tuple[str, ...] = ()) -> str | None:
    """A flagged example's `fixed` must be its text after the first rewrite, and then clean
    (but for a reply-level rule with a `share`, see below)."""
    if example.fixed is None:
        return None
    text, _ = parse_marked(example.text)
    found = _check(text, rule, folders, (rule.code,))
    edits = sorted((f.suggestions[0] for f in found if f.suggestions), key=lambda s: s.start)
    fixed, pos = [], 0
    for s in edits:
        fixed.append(text[pos:s.start] + s.replacement)
        pos = s.end
    fixed.append(text[pos:])
    if "".join(fixed) != example.fixed:
        return f"fixed example is not what the first rewrite gives ({''.join(fixed)!r})"
    # A reply-level rule that measures a share of sentences (negative framing) is not cured by
    # the one sentence it offers to add: its `fixed` shows where the sentence goes.
    measured = rule.reply is not None and rule.reply.share is not None
    if not measured and _check(example.fixed, rule, folders, (rule.code,)):
        return "fixed example is still flagged"
    return None


def allowed_problem(rule: Rule, text: str, folders: tuple[str, ...] = ()) -> str | None:
    """An allowed (ok) example must be clean of the rule's whole family; a reply-level rule's,
    of the rule itself (its examples are whole replies, which the other structure checks
    look at for other moves)."""
    found = _check(text, rule, folders, (rule.family.value if rule.reply is None else rule.code,))
    if found:
        return "ok example flagged (" + ", ".join(f"{f.rule} {f.matched!r}" for f in found) + ")"
    return None


def instead_problem(rule: Rule, text: str, folders: tuple[str, ...] = ()) -> str | None:
    """An `instead` example (what to write) must get no warning from any rule."""
    found = [f for f in _check(text, rule, folders) if f.severity != "info"]
    if found:
        return "instead example flagged (" + ", ".join(f"{f.rule} {f.matched!r}" for f in found) + ")"
    return None


def unless_problem(rule: Rule, unless: Unless, folders: tuple[str, ...] = ()) -> str | None:
    """An `unless` clause's example must be matched by the rule's patterns, then rescued."""
    _, hits = compiled_rules(rule.lang, folders).run(normalize_quotes(unless.example))
    if not hits.get(match_key(rule.code)):
        return "exception example not matched by the rule's own patterns"
    if _check(unless.example, rule, folders, (rule.code,)):
        return "exception example still flagged"
    return None


@dataclass(frozen=True)
class ExampleFailure:
    """One failing example, printed as `path:line: CODE: problem: "example"`."""

    rule: Rule
    kind: str
    index: int
    text: str
    problem: str

    @property
    def line(self) -> int:
        return example_line(self.rule.path, self.kind, self.index)

    def __str__(self) -> str:
        shown = self.text if len(self.text) <= 120 else self.text[:117] + "..."
        return f'{self.rule.path}:{self.line}: {self.rule.code}: {self.problem}: "{shown}"'


def rule_failures(rule: Rule, folders: tuple[str, ...] = ()) -> tuple[int, list[ExampleFailure]]:
    """How many examples `rule` has, and those that fail (the rule must have compiled)."""
    failures: list[ExampleFailure] = []
    count = 0

    def record(kind: str, index: int, text: str, problem: str | None) -> None:
        if problem is not None:
            failures.append(ExampleFailure(rule, kind, index, text, problem))

    for i, example in enumerate(rule.examples.flagged):
        count += 1
        record("flagged", i, example.text, flagged_problem(rule, example, folders))
        if example.fixed is not None:
            record("fixed", i, example.fixed, fixed_problem(rule, example, folders))
    for i, text in enumerate(rule.examples.allowed):
        count += 1
        record("allowed", i, text, allowed_problem(rule, text, folders))
    for i, text in enumerate(rule.examples.instead):
        count += 1
        record("instead", i, text, instead_problem(rule, text, folders))
    for i, unless in enumerate(rule.unless):
        count += 1
        record("unless", i, unless.example, unless_problem(rule, unless, folders))
    return count, failures


@dataclass(frozen=True)
class ListFailure:
    """One failing example of a shared list, printed as `path:line: list NAME: problem`."""

    path: str
    name: str
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{_line_of(self.path, self.problem)}: list {self.name}: {self.problem}"


def _line_of(path: str, problem: str) -> int:
    """The line holding the failing example's text (quoted in `problem`), else 1."""
    quoted = problem.partition(": ")[2]
    try:
        text = ast.literal_eval(quoted)
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (ValueError, SyntaxError, OSError, UnicodeDecodeError):
        return 1
    probe = str(text)[:40]
    return next((n for n, line in enumerate(lines, 1) if probe and probe in line), 1)


@dataclass
class ExampleReport:
    """What a run of rule examples found: counts, failing examples and rule-file errors."""

    rules: int = 0
    examples: int = 0
    failures: list[ExampleFailure | ListFailure] = field(default_factory=list)
    errors: list[RuleFileError] = field(default_factory=list)

    def summary(self) -> str:
        s = "" if self.rules == 1 else "s"
        return (f"{self.examples} example{'' if self.examples == 1 else 's'} in {self.rules} rule{s}, "
                f"{len(self.failures)} failed" + (f", {len(self.errors)} rule-file error"
                                                   f"{'' if len(self.errors) == 1 else 's'}" if self.errors else ""))


def _under(path: str, roots: Iterable[Path]) -> bool:
    resolved = Path(path).resolve()
    return any(resolved.is_relative_to(root) for root in roots)


def rules_under(folders: tuple[str, ...] = (), lang: str | None = None) -> tuple[list[Rule], list[RuleFileError]]:
    """The rules to test, with the load errors of the packs they belong to: those of the team
    `folders` when given (only their languages are loaded), else the bundled ones; only
    `lang`'s when given."""
    roots = [Path(f).resolve() for f in folders] or [bundled_rules_dir().resolve()]
    langs = [lang] if lang else [*available_languages(folders), ANY_LANGUAGE]
    if folders:
        langs = [each for each in langs if any((root / each).is_dir() for root in roots)]
    rules: list[Rule] = []
    errors: dict[str, RuleFileError] = {}
    for each in langs:
        loaded = load_rules(each, folders)
        rules.extend(r for r in loaded.rules if _under(r.path, roots) and (each == ANY_LANGUAGE or not r.shared))
        for problem in loaded.errors:
            if _under(problem.path, roots):
                errors.setdefault(str(problem), problem)
    return rules, list(errors.values())


def run_examples(rules: list[Rule], folders: tuple[str, ...] = (),
                 errors: Iterable[RuleFileError] = ()) -> ExampleReport:
    """Every example of `rules`; a rule that does not compile is added to the errors instead."""
    report = ExampleReport(errors=list(errors))
    seen = {str(e) for e in report.errors}
    for rule in rules:
        problem = compile_problem(rule, folders)
        if problem is not None:
            if str(problem) not in seen:
                seen.add(str(problem))
                report.errors.append(problem)
            continue
        count, failures = rule_failures(rule, folders)
        report.rules += 1
        report.examples += count
        report.failures.extend(failures)
    return report


def run_list_examples(report: ExampleReport, folders: tuple[str, ...] = (), lang: str | None = None) -> None:
    """Add the shared lists' own examples (of the team `folders`, else the bundled packs) to
    `report`; a broken list file is already a rule-file error of the rules that name it."""
    roots = [Path(f) for f in folders] or [bundled_rules_dir()]
    for root in roots:
        langs = [lang] if lang else sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))
        for each in langs:
            for shared in load_lists(root, each)[0].values():
                if shared is None:
                    continue
                report.examples += len(shared.matched) + len(shared.not_matched)
                report.failures.extend(ListFailure(shared.path, shared.name, problem)
                                       for problem in example_problems(shared, each))


@lru_cache(maxsize=256)
def _example_lines(path: str) -> dict[tuple[str, int], int]:
    """Line (1-based) of each example in a rule file, read again only for a rule that failed."""
    from replylint.limits import bounded_yaml

    try:
        data = bounded_yaml("rt").load(Path(path).read_text(encoding="utf-8"))
    except Exception:  # the rule loaded, so this is unlikely; the report then says line 1
        return {}
    lines: dict[tuple[str, int], int] = {}

    def item_line(seq: object, i: int, key: str | None = None) -> int | None:
        try:
            item = seq[i]  # type: ignore[index]
            if key is not None and hasattr(item, "lc") and key in item:
                return item.lc.value(key)[0] + 1
            return seq.lc.item(i)[0] + 1  # type: ignore[attr-defined]
        except (AttributeError, IndexError, KeyError, TypeError):
            return None

    examples = data.get("examples") if hasattr(data, "get") else None
    for kind, key, text_key in (("flagged", "flagged", "text"), ("fixed", "flagged", "fixed"),
                                ("allowed", "allowed", None), ("instead", "instead", None)):
        seq = examples.get(key) if hasattr(examples, "get") else None
        for i in range(len(seq) if isinstance(seq, list) else 0):
            line = item_line(seq, i, text_key)
            if line is not None:
                lines[(kind, i)] = line
    unless = data.get("unless") if hasattr(data, "get") else None
    for i in range(len(unless) if isinstance(unless, list) else 0):
        line = item_line(unless, i, "example")
        if line is not None:
            lines[("unless", i)] = line
    return lines


def example_line(path: str, kind: str, index: int) -> int:
    """Where the `index`th example of `kind` is written in its rule file (1 when unknown)."""
    return _example_lines(path).get((kind, index), 1)


def example_problems(shared: SharedList, lang: str) -> list[str]:
    """The list's own examples that fail: a `matched` text it misses, a `not-matched` one it hits.

    The patterns run through the same matcher as rules (quotes straightened, spaces folded)."""
    probe = Rule(code="LIST00", name=shared.name, family=Family.CANT_DO, severity=Severity.INFO, lang=lang,
                 message="{match}", why=shared.description, match=shared.patterns, anchor=Anchor.ANYWHERE,
                 unless=(), rewrites=(),
                 examples=Examples(flagged=(FlaggedExample(text="[[x]]"),), allowed=(), instead=()), path=shared.path)
    compiled = CompiledRules(lang, (probe,))

    def hits(text: str) -> bool:
        return bool(compiled.run(normalize_quotes(fold(text).text))[1].get(match_key(probe.code)))

    problems = [f"matched example not matched: {text!r}" for text in shared.matched if not hits(text)]
    problems += [f"not-matched example matched: {text!r}" for text in shared.not_matched if hits(text)]
    return problems

