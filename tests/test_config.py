"""Config files: discovery, validation, and errors naming the file and key."""
from __future__ import annotations

from pathlib import Path

import pytest

from replylint.engine.config import Config, find_config_file, load_config_file
from replylint.engine.model import Severity
from replylint.errors import ConfigError


def test_replylint_toml_is_read(tmp_path: Path) -> None:
    path = tmp_path / ".replylint.toml"
    path.write_text('select = ["blame"]\nfail-on = "error"\nseverity = { RL201 = "warning" }\n'
                    'rule-folders = ["team"]\nallow = ["no-nonsense"]\nlang = "en"\n', encoding="utf-8")
    config = load_config_file(path)
    assert config.select == ("blame",) and config.fail_on is Severity.ERROR
    assert config.severity == {"RL201": Severity.WARNING}
    assert config.rule_folders == (str((tmp_path / "team").resolve()),)
    assert config.allow == ("no-nonsense",) and config.lang == "en"


def test_pyproject_table_and_discovery_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.replylint]\nignore = ["cliche"]\n', encoding="utf-8")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    found = find_config_file(sub)
    assert found == (tmp_path / "pyproject.toml").resolve()
    assert load_config_file(found).ignore == ("cliche",)


def test_pyproject_without_our_table_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.black]\nline-length = 80\n', encoding="utf-8")
    assert find_config_file(tmp_path) is None


@pytest.mark.parametrize(("body", "expected"), [
    ('selct = ["x"]', ".replylint.toml: selct: unknown key (expected one of"),
    ('fail-on = "loud"', ".replylint.toml: fail-on: unknown severity 'loud' (expected error, warning or info)"),
    ("select = 3", ".replylint.toml: select: must be a list of strings"),
    ('severity = { RL201 = "bad" }', ".replylint.toml: severity.RL201: unknown severity 'bad'"),
    ("select = [", ".replylint.toml: toml: not valid TOML"),
])
def test_bad_config_names_file_and_key(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / ".replylint.toml"
    path.write_text(body + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config_file(path)
    assert expected in str(info.value)


def test_python_callers_may_pass_snake_case() -> None:
    assert Config.from_mapping({"fail_on": "info"}).fail_on is Severity.INFO
