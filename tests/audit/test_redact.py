"""PII redaction for the report's examples: what is taken out, what is left alone, and finding
spans that still cover the same words afterwards."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replylint.audit.redact import redact, redact_spans, redaction


@pytest.mark.parametrize(("text", "expected"), [
    ("Write to anna.b+shop@example.co.uk today.", "Write to [email] today."),
    ("Call +1 (555) 123-4567 or 0800 123 456.", "Call [phone] or [phone]."),
    ("Call 020 7946 0958.", "Call [phone]."),
    ("Call +33 1 23 45 67 89 or 555.123.4567", "Call [phone] or [phone]"),
    ("Your order #123456 shipped.", "Your order #[number] shipped."),
    ("Order number: AB-12345 is late.", "Order number: [number] is late."),
    ("Ticket 98765 is closed.", "Ticket [number] is closed."),
    ("your account is AC99812, ok", "your account is [number], ok"),
    ("See #4521 in the thread.", "See #[number] in the thread."),
    ("Card 4111111111111111 was declined.", "Card [number] was declined."),
    ("Hi Anna,\n\nIt shipped.", "Hi [name],\n\nIt shipped."),
    ("Dear Mr. Smith, thank you.", "Dear Mr. [name], thank you."),
    ("Good morning Anna Maria!", "Good morning [name]!"),
    ("Hello Zoë-Ann,", "Hello [name],"),
    ("Thanks so much.\nThanks Ben, bye", "Thanks so much.\nThanks [name], bye"),
    ("Sorry. Hi Anna, again.", "Sorry. Hi [name], again."),
])
def test_pii_is_replaced(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "Hello there, we got it.",
    "Hi Team, Hi all, Hi everyone!",
    "Thanks,\nSam",  # the agent's own sign-off is not the customer's name
    "We refunded 25.00 on 2024-03-05 and 12/03/2024 for 3 items.",
    "Order 12 is fine; it takes 3-5 working days.",
    "On 2024-03-05 10:00 we shipped version 3.14.159.26.",
    "Open 9.00-17.30 Mon-Fri, 1,234,567 users, USD 1299.00.",
    "Hi, the answer is no.",
    "You should have read the instructions.",
])
def test_ordinary_text_is_left_alone(text):
    assert redact(text) == text


def test_redaction_is_idempotent():
    text = "Hi Anna,\nOrder #123456: mail anna@example.com or call +44 20 7946 0958.\nBest,\nSam"
    once = redact(text)
    assert redact(once) == once
    assert "anna@" not in once and "7946" not in once and "123456" not in once and "Anna" not in once


def test_finding_spans_stay_on_their_words():
    text = "Hi Anna, as I told you at anna@example.com, order 123456 is your fault."
    words = ["as I told you", "your fault", "Hi", "is"]
    spans = [(text.index(w), text.index(w) + len(w)) for w in words]
    redacted, moved = redact_spans(text, spans)
    assert redacted == "Hi [name], as I told you at [email], order [number] is your fault."
    assert [redacted[s:e] for s, e in moved] == words


def test_a_span_over_redacted_text_covers_the_placeholder():
    text = "Mail anna@example.com now, please."
    done = redaction(text)
    start = text.index("anna")
    assert done.text[slice(*done.span(start + 2, start + 6))] == "[email]"  # inside: the whole placeholder
    assert done.text[slice(*done.span(0, start + 4))] == "Mail [email]"  # straddling: widened
    end = text.index(" now")
    assert done.text[slice(*done.span(start, end + 4))] == "[email] now"
    assert done.span(0, 0) == (0, 0)
    assert done.span(len(text), len(text)) == (len(done.text), len(done.text))


_piece = st.sampled_from(["Hi Anna, ", "anna@example.com", " order 123456 ", "call +1 555 123 4567",
                          "no.", " ", "\n", "you're wrong", "#98765", "Dear Ms. Lee,", "fine"])


@given(st.lists(_piece, min_size=1, max_size=12), st.data())
def test_spans_outside_redactions_keep_their_text(pieces, data):
    text = "".join(pieces)
    done = redaction(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    new_start, new_end = done.span(start, end)
    assert 0 <= new_start <= new_end <= len(done.text)
    touched = [e for e in done.edits if e[0] < end and start < e[1]]
    if not touched and not any(e[0] <= start < e[1] or e[0] < end <= e[1] for e in done.edits):
        assert done.text[new_start:new_end] == text[start:end]
    # replaying the edits rebuilds the redacted text
    rebuilt, cursor = [], 0
    for old_start, old_end, new_s, new_e in done.edits:
        rebuilt.append(text[cursor:old_start])
        rebuilt.append(done.text[new_s:new_e])
        cursor = old_end
    rebuilt.append(text[cursor:])
    assert "".join(rebuilt) == done.text
