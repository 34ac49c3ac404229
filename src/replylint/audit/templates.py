"""A reply's template: a fingerprint that near-identical replies share, so a macro sent ten
thousand times with a different name, order number and sign-off is one cluster in the summary.

The text is folded before hashing: placeholders (`{{ticket.id}}`, `[name]`, `%NAME%`), e-mail
addresses, links and words with digits become one token each, and so do month names; the name after a greeting ("Hi
Anna,") and a short sign-off line ("Maria" or "Maria, Support team") are dropped; case, quotes and
whitespace are folded. What is left is hashed (16 hex digits)."""
from __future__ import annotations

import hashlib
import re

_PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}|\{[^{}\s]*\}|\[[^\[\]\n]{1,40}\]|%[A-Za-z_.]+%|<[A-Z_]{2,}>")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_WITH_DIGITS = re.compile(r"[#\w-]*\d[\w-]*")
_GREETING = re.compile(r"^\s*(hi|hello|hey|dear|good (?:morning|afternoon|evening))\b[ \t]+[^\n,!:]{1,40}([,!:])",
                       re.IGNORECASE)
_SIGN_OFF = re.compile(r"^(?:[A-Z][\w'.-]*)(?:\s+[A-Z][\w'.-]*){0,2}(?:\s*[,|-].{0,40})?$")
_MONTH = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b", re.IGNORECASE)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_SPACE = re.compile(r"\s+")


def template_of(text: str) -> str:
    """The fingerprint of `text` (16 hex digits): equal for replies that differ only in names,
    numbers, dates, ids, addresses, placeholders, case and spacing."""
    return hashlib.blake2b(normalized(text).encode("utf-8"), digest_size=8).hexdigest()


def normalized(text: str) -> str:
    """`text` folded as the module docstring says (what is hashed; shown in tests)."""
    text = text.translate(_QUOTES)
    text = _GREETING.sub(lambda m: f"{m.group(1)} <name>,", text, count=1)
    lines = text.rstrip().splitlines()
    if len(lines) > 1 and _SIGN_OFF.match(lines[-1].strip()):
        lines = lines[:-1]  # the agent's name under the reply
    text = "\n".join(lines)
    text = _PLACEHOLDER.sub("<slot>", text)
    text = _EMAIL.sub("<email>", text)
    text = _LINK.sub("<link>", text)
    text = _WITH_DIGITS.sub("<num>", text)
    text = _MONTH.sub("<month>", text)
    return _SPACE.sub(" ", text.lower()).strip()
