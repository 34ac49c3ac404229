"""The ids of the commands the server runs (`workspace/executeCommand`), one place for all.

Code actions name them, `dispatch.py` maps each to its handler, and the VS Code extension's
tests read this file to keep its own palette commands from reusing one.
"""
from __future__ import annotations

APPLY_SUGGESTION = "replylint.applySuggestion"  # (uri, version | null, range, newText)
FIX_ALL = "replylint.fixAll"  # (uri)
DISABLE_ON_LINE = "replylint.disableRuleOnLine"  # (uri, line, rule)
DISABLE_IN_WORKSPACE = "replylint.disableRuleInWorkspace"  # (uri, rule)
ALLOW_PHRASE = "replylint.allowPhrase"  # (uri, phrase)
EXPLAIN_RULE = "replylint.explainRule"  # ([uri,] rule[, lang])
REPLY_SCORES = "replylint.replyScores"  # (uri)
LINT_ANYWAY = "replylint.lintAnyway"  # (uri): check this document although no config applies to it
IGNORE_FINDING = "replylint.ignoreFinding"  # (uri, fingerprint, rule, matched)
