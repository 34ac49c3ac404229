"""Config and rules cannot leak or hang: restricted path reads for config keys, one time
budget for every user-supplied pattern, no empty placeholders, real folder containment for
trusted rules, and a rule cache that is signed data, never code."""
from __future__ import annotations

import json
import logging
import os
import pickle
import time
from pathlib import Path

import pytest
from clirunner import replylint as run_cli

import replylint
import replylint.engine.matching as matching
import replylint.engine.phrases as phrases
import replylint.engine.rulecache as rulecache
import replylint.engine.ruleset as ruleset
from replylint.engine.config import Config, load_config_file, load_workspace_config
from replylint.engine.ignorefile import read_ignore_file
from replylint.engine.rulefile import load_rule_file
from replylint.errors import ConfigError, RuleFileError

SECRET = "HUSH-7f3a9c-not-for-logs"
SLOW = "^(a|aa)+b$"  # exponential backtracking on "a" * 40 + "c"
HOSTILE = "a" * 40 + "c"
REPLY = "Hi,\n\nYou're wrong about the fee.\n"


def project(tmp_path: Path, toml: str) -> Path:
    (tmp_path / ".replylint.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "reply.txt").write_text(REPLY, encoding="utf-8")
    return tmp_path


def one_line_error(exc: pytest.ExceptionInfo[ConfigError]) -> str:
    message = str(exc.value)
    assert "\n" not in message and SECRET not in message
    return message


# --- 1. path reads for config keys -------------------------------------------------------
@pytest.mark.parametrize("value", ["/proc/self/environ", "/etc/shadow", "/dev/zero", "../outside", "~/x", "a/../../b"])
def test_ignore_file_must_name_a_path_inside_the_project(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as exc:
        Config.from_mapping({"ignore-file": value}, "team.toml", tmp_path)
    assert "team.toml: ignore-file:" in one_line_error(exc) and "inside the project" in str(exc.value)


def test_cli_never_prints_the_environment_from_ignore_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("REPLYLINT_TEST_SECRET", SECRET)  # inherited by the replylint process
    project(tmp_path, 'ignore-file = "/proc/self/environ"\n')
    result = run_cli("check", "reply.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert SECRET not in result.stderr + result.stdout
    [line] = [x for x in result.stderr.splitlines() if "ignore-file" in x]
    assert ".replylint.toml" in line


def test_symlinked_ignore_file_leading_out_of_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(f"{SECRET}\n", encoding="utf-8")
    root = tmp_path / "proj"
    root.mkdir()
    (root / ".replylint-ignore").symlink_to(outside)
    with pytest.raises(ConfigError) as exc:
        load_workspace_config(root)
    assert "outside the project folder" in one_line_error(exc)
    (root / ".replylint-ignore").unlink()
    (root / ".replylint-ignore").symlink_to("/dev/zero")
    with pytest.raises(ConfigError) as exc:
        load_workspace_config(root)
    assert "outside the project folder" in one_line_error(exc)


def test_ignore_file_that_is_a_fifo_or_too_big_fails_fast(tmp_path: Path) -> None:
    fifo = tmp_path / ".replylint-ignore"
    os.mkfifo(fifo)
    began = time.perf_counter()
    with pytest.raises(ConfigError) as exc:
        read_ignore_file(fifo)
    assert "not a regular file" in one_line_error(exc) and time.perf_counter() - began < 5
    fifo.unlink()
    fifo.write_bytes(b"0123456789abcdef RL201\n" * 50_000)  # 1.15 MB
    with pytest.raises(ConfigError) as exc:
        read_ignore_file(fifo)
    assert "larger than 1,000,000 bytes" in one_line_error(exc)


@pytest.mark.parametrize("content", [f"{SECRET}\n".encode(), b"\xff\xfe" + SECRET.encode()])
def test_ignore_file_errors_never_quote_the_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / ".replylint-ignore"
    path.write_bytes(content)
    with pytest.raises(ConfigError) as exc:
        read_ignore_file(path)
    assert str(path) in one_line_error(exc)


def test_config_file_that_is_a_fifo_is_an_error_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "reply.txt").write_text(REPLY, encoding="utf-8")
    result = run_cli("check", "--config", "fifo.toml", "reply.txt", cwd=tmp_path)
    assert result.returncode == 2 and "fifo.toml: file: is not a regular file" in result.stderr
    with pytest.raises(ConfigError):
        load_config_file(tmp_path / "fifo.toml")


def test_nul_in_rule_folders_is_a_one_line_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as exc:
        Config.from_mapping({"rule-folders": ["\x00"]}, "team.toml", tmp_path)
    assert "team.toml: rule-folders:" in one_line_error(exc)
    project(tmp_path, 'rule-folders = ["\\u0000"]\n')
    result = run_cli("check", "reply.txt", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "rule-folders" in result.stderr


def test_rule_folder_entries_that_are_devices_or_fifos_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "en" / "blame"
    folder.mkdir(parents=True)
    (folder / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.yaml")
    began = time.perf_counter()
    loaded = ruleset.load_rules("en", (str(tmp_path),))
    problems = {Path(e.path).name: e.problem for e in loaded.errors}
    assert problems == {"zero.yaml": "is not a regular file", "pipe.yaml": "is not a regular file"}
    assert time.perf_counter() - began < 30 and loaded.by_key("RL201") is not None


# --- 2, 5. one time budget for every user-supplied pattern -------------------------------
RULE = """\
code: {code}
name: {name}
family: blunt-no
severity: warning
message: "m"
why: w
match:
{match}
examples:
  flagged: ["{flagged}"]
  allowed: ["fine"]
"""


def team(tmp_path: Path, **rules: tuple[str, str]) -> Path:
    folder = tmp_path / "team"
    for i, (name, (match, flagged)) in enumerate(rules.items()):
        path = folder / "en" / "blunt-no" / f"{name.replace('_', '-')}.yaml"  # file name = rule name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = RULE.format(code=f"TM{901 + i}", name=name.replace("_", "-"), match=match, flagged=flagged)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def warnings(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.WARNING, logger="replylint")
    matching.compiled_rules.cache_clear()
    yield caplog
    matching.compiled_rules.cache_clear()


def test_token_regex_in_a_user_rule_times_out_and_names_its_file(tmp_path: Path, warnings) -> None:
    folder = team(tmp_path, slow_token=(f"  tokens:\n    - [{{TEXT: {{REGEX: '{SLOW}'}}}}]", "[[aab]] x"),
                  plain=("  phrases: ['the fee']", "[[the fee]] x"))
    config = Config(rule_folders=(str(folder),), select=("TM901", "TM902"), lang="en")
    began = time.perf_counter()
    found = replylint.check(f"{HOSTILE} {HOSTILE} about the fee.", config=config)
    assert time.perf_counter() - began < 8
    assert [f.rule for f in found] == ["TM902"]  # the other rule still ran
    [message] = [r.getMessage() for r in warnings.records if "took over" in r.getMessage()]
    assert "slow-token.yaml: TM901" in message and SLOW in message
    assert [f.rule for f in replylint.check("Well, aab indeed.", config=config)] == ["TM901"]  # not disabled for good


def test_match_regex_warning_names_the_rule_file(tmp_path: Path, warnings) -> None:
    folder = team(tmp_path, slow_regex=("  regex: ['(a|aa)+b']", "[[aab]] x"))
    config = Config(rule_folders=(str(folder),), select=("TM901",), lang="en")
    began = time.perf_counter()
    assert replylint.check(f"{HOSTILE}, b.", config=config) == []
    assert time.perf_counter() - began < 8
    messages = [r.getMessage() for r in warnings.records if "took over" in r.getMessage()]
    assert len(messages) == 1 and "slow-regex.yaml: TM901" in messages[0]


def test_cli_with_a_catastrophic_token_regex_ends_in_bounded_time(tmp_path: Path) -> None:
    folder = team(tmp_path, slow_token=(f"  tokens:\n    - [{{TEXT: {{REGEX: '{SLOW}'}}}}]", "[[aab]] x"))
    project(tmp_path, f'rule-folders = ["{folder}"]\n')
    (tmp_path / "reply.txt").write_text(f"Hi,\n\n{HOSTILE}. You're wrong about the fee.\n", encoding="utf-8")
    began = time.perf_counter()
    result = run_cli("check", "reply.txt", cwd=tmp_path)
    assert time.perf_counter() - began < 60
    assert result.returncode == 1 and "RL201" in result.stdout  # the bundled rules still ran
    assert "slow-token.yaml: TM901" in result.stderr


def test_config_placeholders_time_out_with_one_warning_naming_the_config(tmp_path: Path, warnings) -> None:
    project(tmp_path, f"placeholders = ['{SLOW}']\n")
    config = load_config_file(tmp_path / ".replylint.toml")
    text = f"{HOSTILE}\n\nYou're wrong about the fee.\n"
    began = time.perf_counter()
    found = replylint.check(text, config=config, lang="en")
    found += replylint.check(text, config=config, lang="en")
    assert time.perf_counter() - began < 10
    assert [f.rule for f in found].count("RL201") == 2
    messages = [r.getMessage() for r in warnings.records if "placeholders" in r.getMessage()]
    assert len(messages) == 1 and ".replylint.toml" in messages[0] and SLOW in messages[0]


def test_cli_placeholders_timeout_end_to_end(tmp_path: Path) -> None:
    project(tmp_path, f"placeholders = ['{SLOW}']\n")
    (tmp_path / "reply.txt").write_text(f"{HOSTILE}\n\nYou're wrong about the fee.\n", encoding="utf-8")
    began = time.perf_counter()
    result = run_cli("check", "reply.txt", cwd=tmp_path)
    assert time.perf_counter() - began < 60
    assert result.returncode == 1 and "RL201" in result.stdout
    assert ".replylint.toml: placeholders" in result.stderr


def test_placeholders_still_work_and_are_never_empty(tmp_path: Path) -> None:
    config = Config.from_mapping({"placeholders": ["<<[A-Z]+>>"]})
    (f,) = [f for f in replylint.check("Hi <<NAME>>, you're wrong about the fee.", config=config)
            if f.rule == "RL201"]
    assert f.matched == "you're wrong"


# --- 3. a placeholder that matches nothing ------------------------------------------------
@pytest.mark.parametrize("pattern", ["x*", "(?=a)", r"\b", "(foo)?", "^"])
def test_placeholder_matching_the_empty_string_is_a_config_error(pattern: str) -> None:
    with pytest.raises(ConfigError) as exc:
        Config.from_mapping({"placeholders": [pattern]}, "team.toml")
    assert "team.toml: placeholders:" in one_line_error(exc) and "empty string" in str(exc.value)


# --- token patterns that would reach spaCy's `re` ----------------------------------------
@pytest.mark.parametrize(("spec", "problem"), [
    (f"{{TEXT: {{FUZZY: {{REGEX: '{SLOW}'}}}}}}", "unknown operator 'REGEX' inside FUZZY"),
    ("{LENGTH: {REGEX: 'a+'}}", "not a number test"),
    ("{LOWER: {'>=': 'a'}}", "applies to LENGTH only"),
])
def test_token_values_that_bypass_the_timeout_are_rejected(tmp_path: Path, spec: str, problem: str) -> None:
    folder = team(tmp_path, sneaky=(f"  tokens:\n    - [{spec}]", "[[x]] y"))
    with pytest.raises(RuleFileError, match=problem):
        load_rule_file(folder / "en" / "blunt-no" / "sneaky.yaml", "en")


# --- 4. trusted means inside the bundled folder, not a name prefix -----------------------
def test_a_sibling_folder_named_like_the_bundled_one_is_not_trusted(tmp_path: Path, monkeypatch) -> None:
    bundled = tmp_path / "rules"
    sibling = team(tmp_path, sibling=("  regex: ['x+y']", "[[xy]] z")).rename(tmp_path / "rules-team")
    shipped = team(bundled.parent / "tmp", inside=("  regex: ['q+r']", "[[qr]] z")).rename(bundled)
    monkeypatch.setattr(matching, "bundled_rules_dir", lambda: bundled)
    rules = (load_rule_file(sibling / "en" / "blunt-no" / "sibling.yaml", "en"),
             load_rule_file(shipped / "en" / "blunt-no" / "inside.yaml", "en"))
    compiled = matching.CompiledRules("en", rules)
    timeouts = {entry.pattern.pattern: entry.timeout for entry in compiled.match_regexes}
    assert timeouts == {"x+y": matching.REGEX_TIMEOUT_SECONDS, "q+r": None}


# --- 6. the rule cache is signed data -----------------------------------------------------
class Planted:
    """Unpickling this creates a marker file: what a planted cache would run."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


@pytest.fixture
def private_cache(private_cache_home: Path) -> Path:
    ruleset.load_rules.cache_clear()
    yield private_cache_home / "rules"
    ruleset.load_rules.cache_clear()


def test_a_planted_pickle_is_never_loaded(tmp_path: Path, private_cache: Path) -> None:
    marker = tmp_path / "pwned"
    digest = ruleset.rules_digest("en")
    private_cache.mkdir(parents=True)
    payload = pickle.dumps(Planted(str(marker)))
    for name in (f"{digest}.pickle", f"{digest}.rules"):
        (private_cache / name).write_bytes(payload)
    loaded = ruleset.load_rules("en")
    assert not marker.exists()
    assert loaded.by_key("RL201") is not None and loaded == ruleset._parse_rules("en", ())


def test_a_tampered_or_foreign_cache_is_ignored(tmp_path: Path, private_cache: Path) -> None:
    extra = (str(team(tmp_path, mine=("  phrases: ['the fee']", "[[the fee]] x"))),)
    first = ruleset.load_rules("en", extra)
    [cached] = list(private_cache.glob("*.rules"))
    assert oct(cached.stat().st_mode & 0o777) == "0o600"
    assert oct(rulecache.key_file().stat().st_mode & 0o777) == "0o600"
    header, _, payload = cached.read_bytes().partition(b"\n")
    data = json.loads(payload)
    [mine] = [r for r in data["rules"] if r["code"] == "TM901"]
    mine["severity"] = "error"
    cached.write_bytes(header + b"\n" + json.dumps(data).encode())  # same signature, other data
    ruleset.load_rules.cache_clear()
    assert ruleset.load_rules("en", extra).by_key("TM901").severity == "warning"
    # a cache signed with another user's key is ignored too
    rulecache.store(cached, b"k" * 32, tuple(r for r in first.rules if r.code != "TM901"), ())
    ruleset.load_rules.cache_clear()
    assert ruleset.load_rules("en", extra) == first


def test_the_cache_keeps_each_phrase_translation_so_a_new_process_parses_none(
        tmp_path: Path, private_cache: Path, monkeypatch) -> None:
    says = "(we|I) (can't|cannot) <refund * (fee|charge)>"
    extra = (str(team(tmp_path, mine=(f"  says: [\"{says}\"]", "We can't [[refund the fee]] x"))),)
    ruleset.load_rules("en", extra)
    [cached] = list(private_cache.glob("*.rules"))
    stored = json.loads(cached.read_bytes().partition(b"\n")[2])["phrases"]
    assert stored[says][:2] == [False, phrases.to_regex(says)]
    # a new process: nothing remembered, and parsing a phrase would fail the test
    monkeypatch.setattr(phrases, "_remembered", {})
    phrases.to_regex.cache_clear()
    phrases._parsed.cache_clear()

    def no_parsing(*_args, **_kwargs):
        raise AssertionError("a phrase was parsed although the cache holds its translation")

    monkeypatch.setattr(phrases, "parse", no_parsing)
    ruleset.load_rules.cache_clear()
    rules = ruleset.load_rules("en", extra)
    compiled = matching.CompiledRules("en", tuple(r for r in rules.rules if r.code == "TM901"))
    _doc, hits = compiled.run("Sorry, we cannot refund the fee.")
    assert [(h.start, h.end) for h in hits[matching.match_key("TM901")]] == [(17, 31)]
    phrases.to_regex.cache_clear()
    phrases._parsed.cache_clear()


def test_the_cache_keeps_the_shared_lists_so_a_new_process_reads_no_list_file(
        private_cache: Path, monkeypatch) -> None:
    """The reply score's moves come from the pack's shared lists; a warm cache holds them, so
    a new process parses no list file (29 YAML files in the English pack: a tenth of a cold start)."""
    from replylint.engine import rulelists, scoring

    warm = ruleset.load_rules("en")
    assert warm.lists.get("move-refusal") is not None
    ruleset.load_rules.cache_clear()
    scoring._probes.cache_clear()
    rulelists._load_stamped.cache_clear()

    def no_parsing(*_args, **_kwargs):
        raise AssertionError("a list file was parsed although the cache holds the lists")

    monkeypatch.setattr(rulelists, "load_list", no_parsing)
    assert ruleset.load_rules("en").lists == warm.lists
    assert "move-refusal" in scoring.moves_in("We can't refund opened software.", "en")
    scoring._probes.cache_clear()


def test_a_key_others_can_read_turns_the_cache_off(tmp_path: Path, private_cache: Path) -> None:
    assert rulecache.secret_key() is not None
    rulecache.key_file().chmod(0o644)
    assert rulecache.secret_key() is None
    ruleset.load_rules.cache_clear()
    for entry in private_cache.glob("*"):
        entry.unlink()
    assert ruleset.load_rules("en").by_key("RL201") is not None
    assert list(private_cache.glob("*.rules")) == []
