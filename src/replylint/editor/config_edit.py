"""Editing a config file in place: add a value to one of its lists, keeping comments and layout.

Editors use this for "disable this rule in the workspace" and "allow this phrase". tomlkit
round-trips the file, so a team's comments and ordering survive the edit.
"""
from __future__ import annotations

from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from replylint.engine.config import Config
from replylint.errors import ConfigError, InputError
from replylint.inputs.files import Source, decode
from replylint.safewrite import ABSENT, read_for_update, write_atomic

LIST_KEYS = ("select", "ignore", "allow", "rule-folders", "exclude", "placeholders")
RULE_KEYS = ("select", "ignore")  # lists of rule codes, names or families


def add_to_config_list(path: Path, key: str, value: str) -> bool:
    """Add `value` to list `key` of the config in `path` (created when missing); False if present.

    In `pyproject.toml` the `[tool.replylint]` table is edited (and created when needed).
    The result is validated before it is written, so a bad edit never reaches the disk, and
    written atomically over the bytes that were read: an edit saved meanwhile is kept, and
    this call raises WriteError (an OSError) instead.
    """
    if key not in LIST_KEYS:
        raise ValueError(f"{key!r} is not a list key of the config; expected one of {', '.join(LIST_KEYS)}")
    original = read_for_update(path)
    form = Source(str(path), "")
    try:
        if original is None:
            document = tomlkit.document()
        else:
            form = decode(original, str(path))
            document = tomlkit.parse(form.text)
    except InputError as exc:
        raise ConfigError(str(path), "file", f"cannot be read: {exc.problem}") from None
    except TOMLKitError as exc:
        raise ConfigError(str(path), "toml", f"not valid TOML: {exc}") from None
    table = _replylint_table(document) if path.name == "pyproject.toml" else document
    current = table.get(key)
    if isinstance(current, str):
        current = [current]
    values = list(current or [])
    if value in values:
        return False
    array = tomlkit.array()
    array.extend([*values, value])
    table[key] = array.multiline(len(array) > 3)
    text = tomlkit.dumps(document)
    config = _validate(path, text)
    if key in RULE_KEYS:
        _check_rule_key(config, key, value)
    write_atomic(path, form.encode(text), expected=ABSENT if original is None else original)
    return True


def _check_rule_key(config: Config, key: str, value: str) -> None:
    """An unknown rule code, name or family is refused as `check` would refuse it, before the
    file is written: in the config's language, else in any pack (its own rule folders included)."""
    from dataclasses import replace

    from replylint.engine.checking import check_selectors
    from replylint.engine.ruleset import available_languages

    langs = (config.lang,) if config.lang != "auto" else tuple(available_languages(config.rule_folders))
    check_selectors(replace(config, select=(value,) if key == "select" else (), severity={},
                            ignore=(value,) if key == "ignore" else ()), langs)


def _replylint_table(document: tomlkit.TOMLDocument):
    tool = document.setdefault("tool", tomlkit.table(is_super_table=True))
    return tool.setdefault("replylint", tomlkit.table())


def _validate(path: Path, text: str) -> Config:
    """Load the edited text as the config file it will become."""
    import tomllib

    data = tomllib.loads(text)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("replylint", {})
    return Config.from_mapping(data, str(path), path.parent)
