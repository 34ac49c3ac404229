"""Which findings a config lets through and at which severity: `select`, `ignore` and
`severity` keys naming a code, a rule name or a family. Rules and the tone model both ask."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .config import Config
    from .model import Rule, Severity


def named_by(keys: tuple[str, ...], code: str, name: str, family: str) -> bool:
    """Whether any key names a finding's code (any case), name or family."""
    wanted = {k.lower() for k in keys}
    return code.lower() in wanted or name in wanted or family in wanted


def wanted(config: Config, code: str, name: str, family: str) -> bool:
    """Whether the config's `select` and `ignore` let findings of this code, name and family through."""
    if config.select and not named_by(config.select, code, name, family):
        return False
    return not (config.ignore and named_by(config.ignore, code, name, family))


def configured_severity(config: Config, code: str, name: str, family: str, default: Severity) -> Severity:
    """The config's `severity` for a code, else for a name, else for a family, else `default`."""
    for key in (code, name, family):
        if key in config.severity:
            return config.severity[key]
    return default


def rule_wanted(rule: Rule, config: Config) -> bool:
    """`wanted` for a rule."""
    return wanted(config, rule.code, rule.name, rule.family.value)


def rule_severity(rule: Rule, config: Config) -> Severity:
    """`configured_severity` for a rule, its own severity the default."""
    return configured_severity(config, rule.code, rule.name, rule.family.value, rule.severity)
