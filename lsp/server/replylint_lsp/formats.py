"""Which replylint reader a document needs, from its LSP language id or its file name."""
from __future__ import annotations

from replylint.workspace import FORMATS, detect_format

LANGUAGE_IDS = {
    "plaintext": "text", "text": "text", "email": "text", "mail": "text",
    "markdown": "markdown", "mdx": "markdown",
    "html": "html", "liquid": "html", "jinja-html": "html", "handlebars": "html",
    "json": "json", "jsonc": "json", "yaml": "yaml", "csv": "csv",
}
BUNDLE_FORMATS = frozenset({"json", "yaml", "csv"})
COMMENT_FORMATS = frozenset({"markdown", "html"})  # formats where a suppression comment is invisible


def document_path(uri: str) -> str | None:
    """The file system path of a `file:` URI; None for untitled buffers and other schemes."""
    from pygls.uris import to_fs_path  # not at import: the checker process reads BUNDLE_FORMATS only

    return to_fs_path(uri) if uri.startswith("file:") else None


def document_format(uri: str, language_id: str | None, text: str) -> str:
    """The reader for a document: its language id, else its extension or content."""
    by_language = LANGUAGE_IDS.get((language_id or "").lower())
    if by_language:
        return by_language
    path = document_path(uri) or uri
    fmt = detect_format(path, text)  # whole: JSON and YAML are guessed only when the text parses
    return fmt if fmt in FORMATS else "text"
