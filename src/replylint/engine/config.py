"""Configuration: the `Config` value, reading it from TOML files, and validating every key.

Read from `.replylint.toml` or `pyproject.toml` `[tool.replylint]`; keys are kebab-case.
An unknown key or a bad value is an error that names the file and the key.
"""
from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from replylint.errors import ConfigError
from replylint.projectfiles import project_relative, read_limited_text

from .ignorefile import IGNORE_FILE, read_ignore_file
from .model import Severity
from .tone import DEFAULT_ON as TONE_MODEL_DEFAULT

if TYPE_CHECKING:
    import regex

CONFIG_FILES = (".replylint.toml", "pyproject.toml")
KEYS = {"select", "ignore", "severity", "lang", "fail-on", "rule-folders", "allow", "placeholders", "exclude",
        "fields", "bundle-fields", "ignore-file", "tone-model", "min-score"}
FIELD_KEYS = {"body", "id", "title", "lang"}


@dataclass(frozen=True)
class Config:
    """Settings for a check. `select`/`ignore`/`severity` keys are rule codes, names or families."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    lang: str = "auto"
    fail_on: Severity = Severity.WARNING
    rule_folders: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    placeholders: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    bundle_fields: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    ignore_file: str = IGNORE_FILE
    ignored: frozenset[str] = frozenset()  # fingerprints read from the ignore file
    tone_model: bool = TONE_MODEL_DEFAULT  # run the trained tone model beside the rules (docs/tone-model.md)
    min_score: int = 0  # `check` fails when a reply scores below this (docs/coaching.md#the-reply-score)
    source: str = "<defaults>"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "<config>",
                     base_dir: Path | None = None) -> Config:
        """Validate a parsed `[tool.replylint]` table (or a dict from Python callers)."""
        if not isinstance(data, Mapping):
            raise ConfigError(source, "tool.replylint", "must be a table", "key = value pairs")
        normal = {str(k).replace("_", "-"): v for k, v in data.items()}
        for key in normal:
            if key not in KEYS:
                raise ConfigError(source, key, "unknown key", "one of " + ", ".join(sorted(KEYS)))
        folders = _folders(normal, source, base_dir or Path.cwd())
        return cls(
            select=_strings(normal, "select", source),
            ignore=_strings(normal, "ignore", source),
            severity=_severities(normal.get("severity", {}), source),
            lang=_string(normal, "lang", source, "auto"),
            fail_on=_severity(normal.get("fail-on", "warning"), source, "fail-on"),
            rule_folders=folders,
            allow=_strings(normal, "allow", source),
            placeholders=_regexes(normal, "placeholders", source),
            exclude=_strings(normal, "exclude", source),
            fields=_fields(normal.get("fields", {}), source),
            bundle_fields=_bundle_fields(normal.get("bundle-fields", {}), source),
            ignore_file=_project_path(normal, "ignore-file", source, IGNORE_FILE),
            tone_model=_bool(normal, "tone-model", source, TONE_MODEL_DEFAULT),
            min_score=min_score(normal.get("min-score", 0), source, "min-score"),
            source=source,
        )

    def excludes(self, path: str) -> bool:
        """Whether one of this config's `exclude` globs (relative to its folder) matches `path`."""
        return any(self.matches(glob, path) for glob in self.exclude)

    def matches(self, glob: str, path: str) -> bool:
        """Whether `path` matches a .gitignore-style glob relative to the config file's folder."""
        import pathspec

        base = Path(self.source).parent if self.source.endswith(".toml") else Path.cwd()
        resolved = Path(path).resolve()
        try:
            relative = resolved.relative_to(base.resolve()).as_posix()
        except ValueError:
            relative = Path(path).as_posix()
        return pathspec.GitIgnoreSpec.from_lines([glob]).match_file(relative)

    @property
    def names_rules(self) -> bool:
        """Whether `select`, `ignore` or `severity` name rules or families that must be looked up
        (checking those names reads every rule and the code table, so it is skipped without them)."""
        return bool(self.select or self.ignore or self.severity)

    def merged(self, **changes: Any) -> Config:
        """A copy with command-line values laid over the file's."""
        from dataclasses import replace

        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def min_score(value: Any, source: str, key: str) -> int:
    """A score floor: a whole number from 0 to 100."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ConfigError(source, key, f"must be a whole number from 0 to 100, got {value!r}", "a score such as 70")
    return value


def _string(data: Mapping[str, Any], key: str, source: str, default: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value:
        raise ConfigError(source, key, f"must be a non-empty string, got {value!r}", "a string")
    return value


def _bool(data: Mapping[str, Any], key: str, source: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(source, key, f"must be true or false, got {value!r}", "true or false")
    return value


def _strings(data: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(source, key, f"must be a list of strings, got {value!r}", '["..."]')
    return tuple(value)


def _project_path(data: Mapping[str, Any], key: str, source: str, default: str) -> str:
    """A file name relative to the config file's folder that cannot climb out of it."""
    value = _string(data, key, source, default)
    if not project_relative(value):
        raise ConfigError(source, key, f"{value!r} is not a path inside the project folder",
                          "a relative path without '..', such as .replylint-ignore")
    return value


def _folders(data: Mapping[str, Any], source: str, base: Path) -> tuple[str, ...]:
    """Rule folders as absolute paths; they may lie outside the project (shared rule packs)."""
    out = []
    for folder in _strings(data, "rule-folders", source):
        try:
            out.append(str((base / folder).resolve()))
        except (OSError, RuntimeError, ValueError):
            raise ConfigError(source, "rule-folders", f"{folder!r} is not a usable path",
                              "a folder path without NUL characters") from None
    return tuple(out)


def _regexes(data: Mapping[str, Any], key: str, source: str) -> tuple[str, ...]:
    """Patterns that compile and cannot match the empty string (which would cut every
    reply into nothing and silently turn off every rule)."""
    import regex

    patterns = _strings(data, key, source)
    for pattern in patterns:
        try:
            compiled = regex.compile(pattern)
        except regex.error as exc:
            raise ConfigError(source, key, f"invalid regular expression {pattern!r}: {exc}", "a regex") from None
        if _matches_empty(compiled):
            raise ConfigError(source, key, f"{pattern!r} matches the empty string",
                              "a pattern that always consumes at least one character")
    return patterns


def _fields(value: Any, source: str) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise ConfigError(source, "fields", "must be a table", '{ body = "text", id = "name" }')
    out = {}
    for key, names in value.items():
        if key not in FIELD_KEYS:
            raise ConfigError(source, f"fields.{key}", "unknown key", "one of " + ", ".join(sorted(FIELD_KEYS)))
        out[key] = _strings({key: names}, key, source)
    return out


def _bundle_fields(value: Any, source: str) -> dict[str, dict[str, tuple[str, ...]]]:
    if not isinstance(value, Mapping):
        raise ConfigError(source, "bundle-fields", "must be a table of globs",
                          '{ "macros/*.csv" = { body = ["answer"] } }')
    return {str(glob): _fields(fields, source) for glob, fields in value.items()}


def _severity(value: Any, source: str, key: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise ConfigError(source, key, f"unknown severity {value!r}", "error, warning or info") from None


def _severities(value: Any, source: str) -> dict[str, Severity]:
    if not isinstance(value, Mapping):
        raise ConfigError(source, "severity", "must be a table", '{ RL201 = "warning" }')
    return {str(k): _severity(v, source, f"severity.{k}") for k, v in value.items()}


def load_config_file(path: Path) -> Config:
    """Read one config file; `pyproject.toml` uses its `[tool.replylint]` table."""
    shown = str(path)
    text = read_limited_text(path, "file")  # a regular file of bounded size (the user named it)
    if text is None:
        raise ConfigError(shown, "file", "cannot be read: No such file or directory")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(shown, "toml", f"not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("replylint", {})
    return Config.from_mapping(data, shown, path.parent)


def _is_file(path: Path) -> bool:
    """False for a folder the user may not look into: its files are reported unreadable anyway."""
    try:
        return path.is_file()
    except OSError:
        return False


def find_config_file(start: Path) -> Path | None:
    """The nearest `.replylint.toml`, or `pyproject.toml` with `[tool.replylint]`, from `start` up."""
    start = start.resolve()
    for folder in (start, *start.parents):
        dot = folder / ".replylint.toml"
        if _is_file(dot):
            return dot
        pyproject = folder / "pyproject.toml"
        if _is_file(pyproject):
            try:
                if "replylint" in tomllib.loads(read_limited_text(pyproject, "file") or "").get("tool", {}):
                    return pyproject
            except (ConfigError, tomllib.TOMLDecodeError):
                return pyproject  # let load_config_file report the problem
    return None


def load_workspace_config(start: Path, explicit: Path | None = None) -> tuple[Config, Path | None]:
    """The config for files under `start`: the explicit or nearest config file, plus the
    fingerprints of its ignore file (beside the config file, else in `start`; it must lie
    under that folder)."""
    path = explicit or find_config_file(start)
    config = load_config_file(path) if path else Config()
    folder = path.parent if path else start
    ignore_path = folder / config.ignore_file
    return config.merged(ignored=read_ignore_file(ignore_path, folder)), path


_PROBE = "Hi Ann,\n\nNo, you're wrong about the fee ($12.50) {{x}} [Name] 2024-01-01.\n-- \nBo"
_PROBE_SECONDS = 1.0  # a pattern slow on the probe is not empty: the run-time budget deals with it


def _matches_empty(pattern: regex.Pattern) -> bool:
    """Whether `pattern` matches the empty string, or matches nothing at some spot of a
    typical reply (a bare look-around): either way it would cut replies into nothing."""
    try:
        if pattern.fullmatch("", timeout=_PROBE_SECONDS) is not None:
            return True
        return any(m.end() == m.start() for m in pattern.finditer(_PROBE, timeout=_PROBE_SECONDS))
    except TimeoutError:
        return False  # slow, not empty: the run-time budget deals with it
