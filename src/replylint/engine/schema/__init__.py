"""The JSON Schema of rule files, shipped in the package so editors can complete and check them.

`replylint rules --schema` prints RULE_SCHEMA's path; tests keep its enums equal to model.py's."""
from __future__ import annotations

from pathlib import Path

RULE_SCHEMA = Path(__file__).with_name("rule.schema.json")
LIST_SCHEMA = Path(__file__).with_name("list.schema.json")  # rules/<lang>/_lists/<name>.yaml
