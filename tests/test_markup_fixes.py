"""Safe fixes never break markup: a rewrite crossing Markdown or HTML markup either keeps it
balanced or is offered as unsafe (and so not applied by `fix`)."""
from __future__ import annotations

import html
import itertools
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from clirunner import replylint as run
from markdown_it import MarkdownIt

import replylint

VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}


class _Checker(HTMLParser):
    """Collects text and checks that elements nest, close, and are never empty."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, int]] = []
        self.text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID:
            self.stack.append((tag, len("".join(self.text))))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        _, at = self.stack.pop()
        if not "".join(self.text)[at:].strip():
            self.problems.append(f"empty <{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def rendered(text: str, fmt: str) -> tuple[str, list[str]]:
    """The text a customer sees, and the markup problems, of a Markdown or HTML reply."""
    checker = _Checker()
    checker.feed(MarkdownIt("commonmark").enable("strikethrough").render(text) if fmt == "markdown" else text)
    checker.close()
    problems = checker.problems + [f"<{tag}> never closed" for tag, _ in checker.stack]
    words = " ".join(html.unescape("".join(checker.text)).split())
    if fmt == "markdown" and any(ch in words for ch in "*_~[]"):
        problems.append(f"markup shown as text: {words!r}")
    return words, problems


def test_emphasised_opener_goes_with_its_markers() -> None:
    assert replylint.fix("**Obviously,** the parcel left.", lang="en", format="markdown") == "The parcel left."
    assert replylint.fix("**Obviously**, the parcel left.", lang="en", format="markdown") == "The parcel left."


def test_bold_opener_in_html_keeps_the_paragraph() -> None:
    fixed = replylint.fix("<p><b>Obviously,</b> the parcel left.</p>", lang="en", format="html")
    assert fixed == "<p>The parcel left.</p>"


def test_markup_after_a_deleted_opener_stays_in_place() -> None:
    assert replylint.fix("Obviously, **the parcel** left.", lang="en", format="markdown") == "**The parcel** left."
    fixed = replylint.fix('<p>Obviously, <a href="https://x.test/t">the parcel</a> left.</p>', lang="en",
                          format="html")
    assert fixed == '<p><a href="https://x.test/t">The parcel</a> left.</p>'


def test_replacement_over_a_split_element_takes_the_whole_element() -> None:
    fixed = replylint.fix("Please reply **prior** to Friday.", lang="en", format="markdown")
    assert fixed == "Please reply before Friday."


def test_markup_around_a_deleted_opener_is_dropped_only_when_it_held_nothing_else() -> None:
    text = "**Obviously,** [the parcel](https://x.test/t) left."
    assert replylint.fix(text, lang="en", format="markdown") == "[The parcel](https://x.test/t) left."


@pytest.mark.parametrize(("fmt", "text"), [
    ("markdown", "[Obviously,](https://x.test/t) the parcel left."),
    ("html", '<p><a href="https://x.test/t">Obviously,</a> the parcel left.</p>'),
])
def test_a_crossing_rewrite_that_cannot_stay_balanced_is_offered_as_unsafe(fmt: str, text: str) -> None:
    # dropping the link would lose its address; keeping it would leave it empty
    (finding,) = replylint.check(text, lang="en", format=fmt)
    assert finding.rule == "RL803" and finding.suggestions and not any(s.safe for s in finding.suggestions)
    assert replylint.fix(text, lang="en", format=fmt) == text
    # applied on request, the link's markup is kept whole (empty, never cut in half)
    assert rendered(replylint.fix(text, lang="en", format=fmt, unsafe=True), fmt)[1] == ["empty <a>"]


def test_suggestions_inside_plain_prose_are_unchanged() -> None:
    (finding,) = replylint.check("<p>Obviously, the parcel left.</p>", lang="en", format="html")
    (suggestion,) = finding.suggestions
    assert suggestion.safe and (suggestion.start, suggestion.end, suggestion.replacement) == (3, 15, "T")


def test_macro_body_html_in_a_json_bundle() -> None:
    bundle = {"macros": [{"id": 1, "title": "Shipped", "actions": [
        {"field": "comment_value_html", "value": '<p><b class="lead">Obviously,</b> the parcel left.</p>'}]}]}
    source = json.dumps(bundle, indent=2)
    fixed = json.loads(replylint.fix(source, lang="en", format="json"))
    assert fixed["macros"][0]["actions"][0]["value"] == "<p>The parcel left.</p>"
    kept = json.dumps({"replies": [{"body_html": '<p>Obviously, <b class="x">the parcel</b> left.</p>'}]})
    value = json.loads(replylint.fix(kept, lang="en", format="json"))["replies"][0]["body_html"]
    assert value == '<p><b class="x">The parcel</b> left.</p>'


SENTENCES = ["Obviously, the parcel left today.", "Please be advised that the parcel left.",
             "Please reply prior to Friday noon.", "Just so you know, the parcel left."]
WRAPPERS = {
    "markdown": [("**", "**"), ("_", "_"), ("~~", "~~"), ("[", "](https://x.test/a)")],
    "html": [("<b>", "</b>"), ("<em>", "</em>"), ('<a href="https://x.test/a">', "</a>")],
}
CASES = [(fmt, sentence, wrapper, i, j) for fmt, wrappers in WRAPPERS.items() for sentence in SENTENCES
         for wrapper in wrappers for i, j in itertools.combinations(range(5), 2)]


@pytest.mark.parametrize(("fmt", "sentence", "wrapper", "first", "last"), CASES)
def test_safe_fixes_never_unbalance_markup(fmt: str, sentence: str, wrapper: tuple[str, str],
                                           first: int, last: int) -> None:
    words = sentence.split(" ")
    words[first] = wrapper[0] + words[first]
    words[last] = words[last] + wrapper[1]
    text = " ".join(words)
    if fmt == "html":
        text = f"<p>{text}</p>"
    before, problems = rendered(text, fmt)
    assert before == sentence and not problems
    fixed = replylint.fix(text, lang="en", format=fmt)
    after, problems = rendered(fixed, fmt)
    assert problems == [], f"{text!r} -> {fixed!r}"
    if fixed == text:
        # not applied: the finding is still there, with its rewrite offered as unsafe
        findings = replylint.check(text, lang="en", format=fmt)
        assert findings and any(s for f in findings for s in f.suggestions if not s.safe)
    else:
        assert after == replylint.fix(sentence, lang="en")


def test_cli_fix_keeps_markup_balanced(tmp_path: Path) -> None:
    (tmp_path / "reply.md").write_text("Hi Sam,\n\n**Obviously,** the parcel left.\n", encoding="utf-8")
    (tmp_path / "reply.html").write_text("<p><b>Obviously,</b> the parcel left.</p>\n", encoding="utf-8")
    macro = {"macros": [{"id": 7, "title": "Left", "actions": [
        {"field": "comment_value_html", "value": "<p><i>Obviously,</i> the parcel left.</p>"}]}]}
    (tmp_path / "macros.json").write_text(json.dumps(macro, indent=2) + "\n", encoding="utf-8")
    result = run("fix", "--lang", "en", "reply.md", "reply.html", "macros.json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert (tmp_path / "reply.md").read_text(encoding="utf-8") == "Hi Sam,\n\nThe parcel left.\n"
    assert (tmp_path / "reply.html").read_text(encoding="utf-8") == "<p>The parcel left.</p>\n"
    value = json.loads((tmp_path / "macros.json").read_text(encoding="utf-8"))["macros"][0]["actions"][0]["value"]
    assert value == "<p>The parcel left.</p>"
