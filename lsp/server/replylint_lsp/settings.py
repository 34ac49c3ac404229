"""Editor settings: read from initializationOptions, workspace/configuration and
didChangeConfiguration, validated leniently (a bad value is reported and skipped).

Rule settings (`select`, `ignore`, `severity`, `allow`, `lang`, `toneModel`) are laid over the workspace
config file's values; the others steer the server itself.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from replylint import Config, Severity

SECTION = "replylint"
DIAGNOSTIC_MODES = ("auto", "push", "pull")
RUN_MODES = ("onType", "onSave")
SEVERITIES = tuple(Severity)


@dataclass(frozen=True)
class Settings:
    """What the client asked for; defaults fit an editor user who configured nothing."""

    enable: bool = True
    lang: str | None = None
    config_file: str | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    debounce_ms: int = 20
    max_document_chars: int = 1_000_000
    check_timeout_ms: int = 20_000  # a run's time budget per 100,000 characters (at least this)
    check_memory_mb: int = 1024  # the checker process's memory cap during a run
    diagnostic_mode: str = "auto"
    run: str = "onType"  # onSave: lint on open and save only (push mode)
    minimum_severity: str = "info"  # findings below it are not shown
    tone_model: bool | None = None  # run the trained tone model; None: the config file's `tone-model`
    require_config: bool = False  # check only files a replylint config applies to, or `include` matches
    include: tuple[str, ...] = ()  # .gitignore-style globs of files checked without a config

    def apply_to(self, config: Config) -> Config:
        """The workspace config with these settings laid over it (lists are added to)."""
        severity = {**config.severity, **{k: Severity(v) for k, v in self.severity.items()}}
        return replace(config, lang=self.lang or config.lang, select=self.select or config.select,
                       ignore=(*config.ignore, *self.ignore), allow=(*config.allow, *self.allow),
                       severity=severity, tone_model=config.tone_model if self.tone_model is None else self.tone_model)


_KEYS = {"enable": "enable", "lang": "lang", "configFile": "config_file", "select": "select", "ignore": "ignore",
         "allow": "allow", "severity": "severity", "debounceMs": "debounce_ms",
         "maxDocumentChars": "max_document_chars", "diagnosticMode": "diagnostic_mode", "run": "run",
         "minimumSeverity": "minimum_severity", "checkTimeoutMs": "check_timeout_ms",
         "checkMemoryMb": "check_memory_mb", "toneModel": "tone_model",
         "requireConfig": "require_config", "include": "include"}
_FLOORS = {"max_document_chars": 1000, "check_timeout_ms": 100, "check_memory_mb": 64}


def section(value: Any) -> Mapping[str, Any] | None:
    """The replylint settings inside a client payload: `{"replylint": {...}}` or the flat table."""
    if not isinstance(value, Mapping):
        return None
    inner = value.get(SECTION)
    return inner if isinstance(inner, Mapping) else value


def parse_settings(value: Any, base: Settings | None = None) -> tuple[Settings, list[str]]:
    """Settings from a client payload over `base`, and one message per value that was skipped."""
    settings, problems = base or Settings(), []
    table = section(value)
    if table is None:
        return settings, ([] if value is None else [f"settings: expected an object, got {type(value).__name__}"])
    changes: dict[str, Any] = {}
    for key, raw in table.items():
        name = _KEYS.get(key)
        if name is None:
            continue  # other tools' settings may share the section; unknown keys are not errors
        try:
            changes[name] = _coerce(name, raw)
        except ValueError as exc:
            problems.append(f"settings: {key}: {exc}")
    return replace(settings, **changes), problems


def _coerce(name: str, raw: Any) -> Any:
    if name == "tone_model" and raw is None:
        return None  # null: back to the config file's `tone-model`
    if name in ("enable", "tone_model", "require_config"):
        if not isinstance(raw, bool):
            raise ValueError(f"expected true or false, got {raw!r}")
        return raw
    if name in ("lang", "config_file"):
        if raw is None or raw == "" or (name == "lang" and raw == "auto"):
            return None  # "auto": the config file's lang, else detected
        if not isinstance(raw, str):
            raise ValueError(f"expected a string, got {raw!r}")
        return raw
    if name in ("select", "ignore", "allow", "include"):
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(v, str) and v for v in raw):
            raise ValueError(f"expected a list of strings, got {raw!r}")
        return tuple(raw)
    if name == "severity":
        if not isinstance(raw, Mapping) or not all(v in tuple(Severity) for v in raw.values()):
            raise ValueError(f'expected a table of rule = "error" | "warning" | "info", got {raw!r}')
        return {str(k): str(v) for k, v in raw.items()}
    choices = {"diagnostic_mode": DIAGNOSTIC_MODES, "run": RUN_MODES, "minimum_severity": SEVERITIES}.get(name)
    if choices is not None:
        if raw not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {raw!r}")
        return raw
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise ValueError(f"expected a whole number >= 0, got {raw!r}")
    return max(raw, _FLOORS.get(name, 0))
