"""Checking a document: lint each segment's prose and map findings back into the file.

Findings and their suggestions get file offsets, lines and columns; suggestions are
escaped for the format they will be written into (HTML entities, JSON escapes); inline
suppressions and the ignore file's fingerprints are applied; bundle findings carry their
response's label.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from replylint.engine.checking import check_text
from replylint.engine.config import Config
from replylint.engine.fingerprints import fingerprint
from replylint.engine.language import declared_language, resolve_langs
from replylint.engine.model import Finding, Suggestion
from replylint.engine.paragraph_cache import ParagraphCache
from replylint.engine.positions import LineIndex
from replylint.engine.replychecks import check_reply
from replylint.engine.ruleset import has_pack, no_pack_notice
from replylint.engine.scoring import ReplyScore, score_reply
from replylint.engine.spans import overlap

from .documents import Document, Segment
from .documents.suppressions import is_suppressed
from .markup_edits import Edit, Planner


@dataclass
class DocumentResult:
    """Findings in file coordinates, the ones inline comments suppressed, and notices (such as
    a reply in a language without a rule pack)."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    scores: list[ReplyScore] = field(default_factory=list)  # one per reply with words, in a language with a pack


def check_document(document: Document, lang: str = "auto", config: Config | None = None,
                   context: str | None = None, *, scores: bool = True,
                   cache: ParagraphCache | None = None) -> DocumentResult:
    """Every reply of the document checked; each against the customer's message it answers
    (thread context): `context` when given, else its ticket's customer turns or the text it
    quotes (Segment.thread). `scores=False` skips the reply scores (a tenth of the time) for
    callers that only want findings. A `cache` (one per document) matches again only the
    pieces of its replies that changed since its last run (engine/paragraph_cache.py)."""
    config = config or Config()
    if lang == "auto" and config.lang == "auto":
        lang = declared_language(document.source) or "auto"
    result = DocumentResult()
    if cache is not None:
        cache.begin()
    lines = LineIndex(document.source) if document.segments else None
    for segment in document.segments:
        prose = segment.prose.text
        planner = Planner(segment.prose, segment.source)
        langs = resolve_langs(segment.lang or lang, config, prose)
        if not has_pack(langs[0], config.rule_folders):
            notice = no_pack_notice(langs[0])
            if notice not in result.notices:
                result.notices.append(notice)
        reported: list[Finding] = []
        thread = segment.thread if context is None else context
        for finding in _check_in(prose, langs, config, thread, cache):
            finding = replace(finding, fingerprint=fingerprint(finding.rule, prose, finding.start, finding.end))
            mapped = _map(finding, segment, document.source, lines, planner)
            seg_start = segment.prose.source_span(finding.start, finding.end)[0]
            if finding.fingerprint in config.ignored or is_suppressed(
                    segment.suppressions, seg_start, finding.rule, finding.name, finding.family):
                result.suppressed.append(mapped)
            else:
                result.findings.append(mapped)
                reported.append(mapped)
        reply_score = score_reply(prose, langs[0], reported, config.rule_folders, thread, cache) if scores else None
        if reply_score is not None:
            result.scores.append(_placed(reply_score, segment, lines))
    result.findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return result


def _check_in(prose: str, langs: tuple[str, ...], config: Config, context: str = "",
              cache: ParagraphCache | None = None) -> list[Finding]:
    """Findings in the detected language, plus a look-alike's where they add something new
    (a short Danish sentence may be detected as Norwegian: both packs' rules then run), then
    the reply-level (structure) findings of the detected language, once for the whole reply."""
    findings = check_text(prose, langs[0], config, context, cache)
    for other in langs[1:]:
        extra = [f for f in check_text(prose, other, config, context, cache)
                 if not any(overlap(f, g) for g in findings)]
        findings = sorted([*findings, *extra], key=lambda f: (f.start, f.end, f.rule))
    structure = check_reply(prose, langs[0], config, context, cache)
    return sorted([*findings, *structure], key=lambda f: (f.start, f.end, f.rule)) if structure else findings


def _placed(score: ReplyScore, segment: Segment, lines: LineIndex | None) -> ReplyScore:
    """The score placed at its reply in the file: from its first word to its last."""
    prose = segment.prose.text
    first = len(prose) - len(prose.lstrip())
    last = len(prose.rstrip())
    start, end = segment.file_span(first, last)
    line, column = lines.position(start) if lines is not None else (1, 1)
    return replace(score, start=start, end=end, line=line, column=column, response=segment.label)


def _map(finding: Finding, segment: Segment, source: str, lines: LineIndex | None, planner: Planner) -> Finding:
    if segment.outer is None and segment.prose.text is source:
        return replace(finding, response=segment.label)
    start, end = segment.file_span(finding.start, finding.end)
    assert lines is not None
    line, column = lines.position(start)
    end_line, end_column = lines.position(end)
    suggestions = [replace(_suggestion(planner.plan(s.start, s.end, s.replacement, s.safe), segment, source),
                           deletes=s.deletes) for s in finding.suggestions]
    return replace(finding, start=start, end=end, line=line, column=column, end_line=end_line,
                   end_column=end_column, matched=source[start:end], suggestions=suggestions,
                   response=segment.label)


def _suggestion(edit: Edit, segment: Segment, source: str) -> Suggestion:
    """A planned edit (in the segment's source) as a file suggestion: new text escaped for the
    format, markup kept in place copied from the file as written."""
    outer = segment.outer

    def file_span(s: int, e: int) -> tuple[int, int]:
        return outer.source_span(s, e) if outer is not None else (s, e)

    text = "".join(source[slice(*file_span(p.start, p.end))] if p.keep else segment.escape(p.text)
                   for p in edit.parts)
    return Suggestion(text, *file_span(edit.start, edit.end), edit.safe)
