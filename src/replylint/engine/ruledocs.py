"""Rendering a rule's documentation under fixed headings, once for docs, `--explain` and hovers.

    replylint rules --write-docs docs/rules     # regenerate docs/rules/
"""
from __future__ import annotations

from pathlib import Path

from replylint.errors import WriteError
from replylint.safewrite import write_atomic

from .marked_text import parse_marked
from .model import Family, Rule

DOCS_BASE_URL = "https://github.com/replylint/replylint/blob/main/docs/rules"
REGENERATE = "replylint rules --write-docs docs/rules"


def doc_filename(rule: Rule) -> str:
    """One page per rule; a language-independent rule has one page whatever language ran it."""
    return f"{'xx' if rule.shared else rule.lang}-{rule.code}-{rule.name}.md"


def doc_url(rule: Rule) -> str:
    """The rule's documentation page, used as a link in editors and CI reports."""
    return f"{DOCS_BASE_URL}/{doc_filename(rule)}"


def _quote_marked(text: str) -> str:
    plain, spans = parse_marked(text)
    out, pos = [], 0
    for start, end in spans:
        out.append(plain[pos:start] + "**" + plain[start:end] + "**")
        pos = end
    out.append(plain[pos:])
    return "".join(out)


def render_rule(rule: Rule) -> str:
    """Markdown for one rule: What it does · Why is this bad? · Example · Use instead · Fix safety."""
    language = "any (language-independent: runs with every language)" if rule.shared else f"`{rule.lang}`"
    lines = [f"# {rule.code} {rule.name}", "",
             f"Family: `{rule.family.value}` · Severity: `{rule.severity.value}` · Language: {language}", "",
             "## What it does", "", rule.headline, "",
             *_reply_lines(rule),
             "## Why is this bad?", "", rule.why, "", "## Example", ""]
    for ex in rule.examples.flagged:
        lines.append(f"- {_quote_marked(ex.text)}")
    lines += ["", "Not flagged:", ""]
    lines += [f"- {text}" for text in rule.examples.allowed]
    lines += ["", "## Use instead", ""]
    lines += [f"- {text}" for text in rule.examples.instead] or ["- Say what you can do, in your own words."]
    if rule.unless:
        lines += ["", "## Exceptions", ""]
        for exc in rule.unless:
            when = " when the customer's message makes " + ", ".join(
                f"`{m.name or 'phrases of its own'}`" for m in exc.context) if exc.context else ""
            lines.append(f"- Not flagged when found within the {exc.window.value}{when}: “{exc.example}”")
    lines += ["", "## Fix safety", ""]
    for sentence in rule.reply.add if rule.reply else ():
        lines.append(f"- insert “{sentence}” after the sentence it points at: "
                     "unsafe (offered, applied with `--unsafe`)")
    if not rule.rewrites and not (rule.reply and rule.reply.add):
        lines.append("No automatic rewrite: the better wording depends on what you can offer.")
    for rw in rule.rewrites:
        what = f"replace with “{rw.replace}”" if rw.replace else "delete it"
        safety = "safe (applied by `replylint fix`)" if rw.safe else "unsafe (offered, applied with `--unsafe`)"
        lines.append(f"- {what}: {safety}")
    return "\n".join(lines) + "\n"


def _reply_lines(rule: Rule) -> list[str]:
    """How a reply-level rule reads a whole reply (docs/coaching.md), in one paragraph."""
    check = rule.reply
    if check is None:
        return []

    def moves(items: tuple) -> str:
        return ", ".join(f"`{m.name}`" if m.name else "phrases of its own" for m in items)

    text = (f"A reply-level check: it runs once per reply of at least {check.min_words} words in "
            f"{check.min_sentences} sentences")
    if check.when:
        text += f", and applies when the reply makes one of these moves: {moves(check.when)}"
    if check.context:
        text += (f", {'and applies when' if not check.when else 'if'} the customer's message (thread context, "
                 f"see [coaching](../coaching.md#thread-context)) makes one of: {moves(check.context)}")
    text += "."
    if check.missing:
        text += f" It reports when the reply makes none of: {moves(check.missing)}."
    if check.share is not None:
        text += f" It reports when at least {check.share:.0%} of the reply's sentences make such a move."
    if check.unanswered:
        text += (" It reports the customer's first question whose topic words the reply does not take up "
                 f"(topic-free words: {moves(check.unanswered)}).")
    if check.answered_by:
        text += (f" A sentence making {moves(check.answered_by)} answers the customer, and triggers nothing, when "
                 f"their message makes {moves(check.answered_context)}.")
    where = {"last-line": "the reply's last sentence", "first-line": "the reply's first sentence"}.get(
        check.point_at.value, "the first sentence that triggered it")
    return [text + f" The finding points at {where}. See [coaching](../coaching.md).", ""]


def render_index(rules: list[Rule]) -> str:
    """The rule index: one table per family."""
    lines = ["# Rules", "", f"Generated from `rules/` by `{REGENERATE}`; do not edit by hand.", ""]
    for family in Family:
        members = sorted((r for r in rules if r.family is family), key=lambda r: (not r.shared, r.lang, r.code))
        if not members:
            continue
        lines += [f"## {family.value}", "", "| code | name | lang | severity | what it flags |",
                  "|---|---|---|---|---|"]
        for r in members:
            summary = r.headline.replace("|", "\\|")
            lang = "any" if r.shared else r.lang
            lines.append(f"| [{r.code}]({doc_filename(r)}) | {r.name} | {lang} | {r.severity.value} | {summary} |")
        lines.append("")
    return "\n".join(lines)


def generate(rules: list[Rule]) -> dict[str, str]:
    """Every docs file, by file name."""
    files = {doc_filename(r): render_rule(r) for r in rules}
    files["index.md"] = render_index(rules)
    return files


def write_docs(rules: list[Rule], folder: Path) -> list[Path]:
    """Write the generated pages into `folder`, each atomically, then remove stale pages;
    returns what was written. A `folder` that is a file (or cannot be made) is a WriteError."""
    if folder.exists() and not folder.is_dir():
        raise WriteError(str(folder), "is a file, not a folder; no pages written")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(str(folder), f"cannot be made: {exc.strerror or exc}; no pages written") from None
    files = generate(rules)
    written = []
    for name, content in files.items():
        path = folder / name
        write_atomic(path, content.encode("utf-8"))
        written.append(path)
    for old in folder.glob("*.md"):
        if old.name not in files:
            try:
                old.unlink()
            except OSError as exc:
                raise WriteError(str(old), f"stale page cannot be removed: {exc.strerror or exc}") from None
    return written
