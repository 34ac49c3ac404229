"""Bundle readers: each canned response linted on its own, reported at its exact place in the bundle file."""
from __future__ import annotations

import json
import pickle
import re
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

import replylint
from replylint.engine.model import Finding
from replylint.inputs.bundles.csvsource import parse_csv
from replylint.inputs.bundles.jsonsource import parse_json
from replylint.inputs.bundles.located import Located
from replylint.inputs.bundles.shapes import find_responses
from replylint.inputs.bundles.yamlsource import parse_yaml
from replylint.inputs.formats import read_document
from replylint.inputs.options import BundleFields, ReadOptions, read_options
from replylint.workspace import DocumentError, NotABundle, ReplylintError, check_with_scores

FIXTURES = Path(__file__).parent / "fixtures" / "bundles"
WRONG = "You're wrong about the fee."
POLICY = "That's our policy."


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def where(text: str, needle: str, nth: int = 0) -> tuple[int, int, int]:
    """(offset, line, column) of the nth occurrence of `needle` in `text`, found independently of replylint."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return offset, line, offset - text.rfind("\n", 0, offset)


def check(text: str, fmt: str, **kwargs: object) -> list[Finding]:
    findings = replylint.check(text, format=fmt, **kwargs)  # type: ignore[arg-type]
    for f in findings:
        assert text[f.start:f.end] == f.matched, f
    return findings


def at(findings: list[Finding], rule: str) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.response) for f in findings if f.rule == rule]


def expect(text: str, needle: str, label: str, nth: int = 0) -> tuple[int, int, str]:
    _, line, column = where(text, needle, nth)
    return line, column, label


# Vendor shapes --------------------------------------------------------------------------------------------------


def test_zendesk_export_list_value_with_escapes_before_the_span() -> None:
    text = fixture("zendesk.json")
    findings = check(text, "json")
    assert at(findings, "RL201") == [(15, 142, "Billing::Late fee dispute")]
    assert at(findings, "RL201") == [expect(text, "You're wrong", "Billing::Late fee dispute")]
    assert at(findings, "RL501") == [expect(text, "That's our policy", "Returns::Outside window")]


def test_zendesk_bare_list_with_string_value() -> None:
    text = json.dumps([{"id": 9, "actions": [{"field": "comment_value", "value": f"Hello.\n{WRONG}"}]}], indent=2)
    assert at(check(text, "json"), "RL201") == [expect(text, "You're wrong", "9")]


def test_gorgias_prefers_html_body_and_carries_language() -> None:
    text = fixture("gorgias.json")
    findings = check(text, "json")
    # body_text and body_html hold the same reply: it is linted once, in body_html.
    assert at(findings, "RL501") == [expect(text, "That's our policy", "Refund - outside window", nth=1)]
    document = read_document(text, "json", ReadOptions())
    assert [(s.label, s.lang) for s in document.segments] == [("Refund - outside window", "en"),
                                                              ("Remboursement refusé", "fr")]
    assert [r.shape for r in find_responses(parse_json(text), BundleFields())] == ["gorgias", "gorgias"]


def test_help_scout_saved_replies() -> None:
    text = fixture("helpscout.json")
    assert at(check(text, "json"), "RL201") == [expect(text, "You're wrong", "Shipping delay")]
    assert [r.shape for r in find_responses(parse_json(text), BundleFields())] == ["helpscout"]


def test_freshdesk_folders_of_canned_responses() -> None:
    text = fixture("freshdesk.json")
    assert at(check(text, "json"), "RL501") == [expect(text, "That's our policy", "Fee question", nth=1)]
    assert [r.shape for r in find_responses(parse_json(text), BundleFields())] == ["freshdesk"]


@pytest.mark.parametrize(("data", "shape"), [
    ({"macros": [{"title": "t", "actions": [{"field": "comment_value", "value": "x y"}]}]}, "zendesk"),
    ({"data": [{"name": "n", "actions": [{"name": "setResponseText", "arguments": {"body_text": "x y"}}]}]},
     "gorgias"),
    ([{"id": 1, "name": "n", "text": "<p>x y</p>", "preview": "x y"}], "helpscout"),
    ({"canned_responses": [{"id": 1, "title": "t", "content_html": "<div>x y</div>"}]}, "freshdesk"),
    ({"replies": [{"key": "k", "message": "x y"}]}, "generic"),
])
def test_shape_is_detected_from_keys(data: object, shape: str) -> None:
    found = find_responses(parse_json(json.dumps(data)), BundleFields())
    assert [r.shape for r in found] == [shape]
    assert [re.sub(r"</?\w+>", "", b.value) for b in found[0].bodies] == ["x y"]


# JSON escapes ---------------------------------------------------------------------------------------------------


def test_json_escapes_before_the_span_shift_nothing() -> None:
    body = '\\"Hi\\"\\n\\u00e9 \\ud83d\\ude00 \\/ \\t ' + WRONG
    text = '[\n  {"title": "Escapes", "body": "' + body + '"}\n]\n'
    assert json.loads(text)[0]["body"].startswith('"Hi"\né 😀 / \t')
    findings = check(text, "json")
    assert at(findings, "RL201") == [expect(text, "You're wrong", "Escapes")]


def test_json_escape_inside_the_span_is_covered_whole() -> None:
    text = '[{"title": "Curly", "body": "You\\u2019re wrong about the fee."}]'
    [finding] = [f for f in check(text, "json") if f.rule == "RL201"]
    assert finding.matched == "You\\u2019re wrong"
    assert finding.start == text.index("You")


def test_json_fix_writes_escaped_valid_json() -> None:
    text = json.dumps([{"title": "T", "body": f'Hi "Sam",\n{WRONG}'}], indent=2)
    fixed = replylint.fix(text, unsafe=True, format="json")
    assert fixed != text
    assert "wrong" not in json.loads(fixed)[0]["body"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40), st.booleans())
def test_json_strings_map_every_char(value: str, ascii_only: bool) -> None:
    text = json.dumps({"body": value}, ensure_ascii=ascii_only)
    located = parse_json(text)["body"]
    assert_maps_exactly(located, text, lambda raw: json.loads(f'"{raw}"'))


def assert_maps_exactly(located: Located, text: str, decode: Callable[[str], str]) -> None:
    """The outer prose spells the value, and every char maps to source text that decodes to it."""
    prose = located.outer(text)
    assert prose.text == located
    for run in prose.runs:
        raw = text[run.s_start:run.s_end]
        if run.exact:
            assert raw == prose.text[run.p_start:run.p_end]
        else:
            assert decode(raw) == prose.text[run.p_start:run.p_end]


# Generic JSON / YAML / CSV --------------------------------------------------------------------------------------


def test_generic_json_with_configured_fields() -> None:
    text = json.dumps({"faq": [{"slug": "fees", "question": "Why a fee?", "answer": WRONG, "locale": "en-GB"}]},
                      indent=2)
    config = {"fields": {"body": ["answer"], "title": ["question"]}}
    assert at(check(text, "json", config=config), "RL201") == [expect(text, "You're wrong", "Why a fee?")]
    with pytest.raises(ValueError, match="no canned responses found"):
        replylint.check(text, format="json")
    segment = read_document(text, "json", read_options(replylint.Config.from_mapping(config, "t"))).segments[0]
    assert segment.lang == "en"


def test_generic_map_of_id_to_reply() -> None:
    text = "fee_dispute: " + WRONG + "\npolicy: '" + POLICY.replace("'", "''") + "'\n"
    findings = check(text, "yaml")
    assert at(findings, "RL201") == [expect(text, "You're wrong", "fee_dispute")]
    assert at(findings, "RL501") == [expect(text, "That''s our policy", "policy")]


def test_yaml_scalar_styles_map_exactly() -> None:
    text = fixture("generic.yaml")
    findings = check(text, "yaml")
    assert at(findings, "RL201") == [expect(text, "You're wrong", "Fee dispute"),
                                     expect(text, "You''re wrong", "quoted"),
                                     expect(text, "You're wrong", "double", nth=1)]
    assert at(findings, "RL501") == [expect(text, "that's our policy", "Policy (plain)"),
                                     expect(text, "That's our policy", "Policy (plain)"),
                                     expect(text, "That's our policy", "Folded", nth=1)]
    assert read_document(text, "yaml", ReadOptions()).segments[0].lang == "en"


STYLES = [str, SingleQuotedScalarString, DoubleQuotedScalarString, LiteralScalarString, FoldedScalarString]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"],
                                               exclude_characters="\t"), max_size=30).map(str.strip),
                min_size=1, max_size=4),
       st.sampled_from(STYLES))
def test_yaml_scalars_map_every_char(lines: list[str], style: type) -> None:
    value = "\n".join(lines) if style is LiteralScalarString else " ".join(lines) * 3
    if not value.strip():
        return
    out = StringIO()
    dumper = YAML()
    dumper.width = 40
    dumper.dump({"body": style(value)}, out)
    text = out.getvalue()
    located = parse_yaml(text)[0]["body"]
    prose = located.outer(text)
    assert prose.text == located
    assert len(prose.runs) > 1 or prose.runs[0].exact or len(located) <= 1, (text, prose.runs)
    for run in prose.runs:
        if run.exact:
            assert text[run.s_start:run.s_end] == prose.text[run.p_start:run.p_end]


def test_csv_quoted_multiline_field() -> None:
    text = fixture("generic.csv")
    findings = check(text, "csv")
    assert at(findings, "RL201") == [(3, 1, "Fee dispute")]
    assert at(findings, "RL501") == [expect(text, "That's our policy", "Policy")]


def test_csv_semicolons_crlf_and_doubled_quotes_before_the_span() -> None:
    text = 'Title;Body\r\n"Fee";"He said ""no"" twice; ' + WRONG + '"\r\n'
    assert at(check(text, "csv"), "RL201") == [expect(text, "You're wrong", "Fee")]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=15), min_size=1, max_size=4))
def test_csv_fields_map_every_char(cells: list[str]) -> None:
    import csv

    out = StringIO()
    csv.writer(out, quoting=csv.QUOTE_MINIMAL).writerow(cells)
    text = out.getvalue()
    for row in parse_csv(text):
        for cell in row:
            assert_maps_exactly(cell, text, lambda raw: raw.replace('""', '"'))


# Suppressions, HTML, errors -------------------------------------------------------------------------------------


def test_replylint_ignore_per_response() -> None:
    text = fixture("generic.yaml")
    assert all(f.response != "ignored" for f in check(text, "yaml"))
    data = [{"title": "A", "body": f"{WRONG} {POLICY}", "replylint_ignore": "rl201"},
            {"title": "B", "body": f"{WRONG} {POLICY}", "replylint_ignore": ["you-are-wrong", "thats-our-policy"]}]
    findings = check(json.dumps(data), "json")
    assert [(f.rule, f.response) for f in findings] == [("RL501", "A")]


def test_inline_suppression_inside_a_body() -> None:
    text = json.dumps([{"title": "A", "body": f"<!-- replylint-disable RL201 -->{WRONG}"}])
    assert at(check(text, "json"), "RL201") == []


def test_html_body_maps_through_both_layers() -> None:
    text = json.dumps([{"title": "Entities", "body_html": "<p>Hi,</p>\n<p>You&#39;re wrong about the fee.</p>"}])
    [finding] = [f for f in check(text, "json") if f.rule == "RL201"]
    assert finding.matched == "You&#39;re wrong"
    assert (finding.line, finding.column) == where(text, "You&#39;re")[1:]


@pytest.mark.parametrize(("text", "fmt", "message"), [
    ('[\n  {"body": "x"}\n  {"body": "y"}\n]', "json", "invalid JSON at line 3, column 3: Expecting ',' delimiter"),
    ('{"body": "unterminated', "json", "invalid JSON at line 1, column 10: Unterminated string"),
    ("[1] 2", "json", "invalid JSON at line 1, column 5: Extra data"),
    ("", "json", "invalid JSON at line 1, column 1: Expecting value"),
    ("- body: ok\n  title: [unclosed\n", "yaml", "invalid YAML at line 3, column 1"),
    ("a: b: c\n", "yaml", "invalid YAML at line 1, column 5"),
    ('id,body\n1,"open\n', "csv", "invalid CSV at line 2, column 3: unclosed quoted field"),
    ('id,body\n1,"x"y\n', "csv", "invalid CSV at line 2, column 6"),
])
def test_malformed_input_is_a_one_line_value_error(text: str, fmt: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        replylint.check(text, format=fmt)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("text", "fmt"), [('{"body": "unterminated', "json"), ("a: b: c\n", "yaml"),
                                          ('id,body\n1,"open\n', "csv"), ("[" * 200 + "]" * 200, "json")])
def test_an_unreadable_document_raises_document_error(text: str, fmt: str) -> None:
    """Through the public API, as `replylint.workspace.DocumentError`: a ReplylintError (a host
    tells it from its own bugs) and still a ValueError (older `except ValueError` keeps working)."""
    with pytest.raises(DocumentError) as info:
        check_with_scores(text, format=fmt)
    assert isinstance(info.value, ReplylintError) and isinstance(info.value, ValueError)
    assert pickle.loads(pickle.dumps(info.value)).args == info.value.args  # crosses process boundaries
    with pytest.raises(DocumentError):
        replylint.check(text, format=fmt)


def test_a_file_with_no_canned_responses_is_a_document_error_too() -> None:
    with pytest.raises(NotABundle) as info:
        replylint.check('{"name": "my-package", "version": "1.0.0"}', format="json")
    assert isinstance(info.value, DocumentError)


def test_empty_bundles_have_no_findings() -> None:
    assert replylint.check('{"macros": [], "next_page": null, "count": 0}', format="json") == []
    assert replylint.check("[]", format="json") == []
    assert replylint.check("", format="csv") == []
    assert replylint.check("id,body\n", format="csv") == []


def test_example_exports_read() -> None:
    examples = Path(__file__).resolve().parents[1] / "examples" / "bundles"
    for path in sorted(examples.iterdir()):
        text = path.read_text(encoding="utf-8")
        findings = check(text, {".json": "json", ".yaml": "yaml", ".csv": "csv"}[path.suffix])
        assert findings, path.name
        assert all(f.response for f in findings)


def test_csv_without_a_body_column_says_so() -> None:
    with pytest.raises(ValueError, match=r"no canned responses found .* a column named body, text"):
        replylint.check("id,answer\n1,Hello there\n", format="csv")


def test_yaml_stream_of_documents_and_json_bom() -> None:
    text = f"title: One\nbody: {WRONG}\n---\ntitle: Two\nbody: {POLICY}\n"
    assert [(f.rule, f.response) for f in check(text, "yaml")] == [("RL201", "One"), ("RL501", "Two")]
    text = "\ufeff" + json.dumps({"title": "Bom", "body": WRONG})
    assert at(check(text, "json"), "RL201") == [expect(text, "You're wrong", "Bom")]
