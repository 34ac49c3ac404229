"""Hostile and accidental bad input (issue 12): one reading layer bounds size, depth, aliases
and decoding for every reader, and one bad file never takes the run down.

Each test reproduces a report from the issue, end to end through the command line where the
issue shows a command: the bad file gets its one-line error (exit 2), never a traceback, and
the good file beside it is still reported.
"""
from __future__ import annotations

import codecs
import io
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clirunner import replylint

import replylint as api
import replylint.cli.runner as runner
from replylint.cli.results import FileResult
from replylint.cli.runner import Job, Settings, check_all, jobs_for
from replylint.engine.config import Config
from replylint.engine.positions import LineIndex
from replylint.engine.rulefile import load_rule_file
from replylint.errors import InputError, RuleFileError
from replylint.inputs.files import decode, discover, read
from replylint.inputs.formats import read_document
from replylint.limits import MAX_ALIASES, MAX_DEPTH, LimitError, read_regular_file, read_stream

RISKY = "You're wrong about the fee."
REPLY = "No, you're wrong about the fee."


def cli(*args: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None,
        prefix: tuple[str, ...] = (), timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command line, with stdin as bytes (clirunner's is text)."""
    done = subprocess.run([*prefix, sys.executable, "-m", "replylint", *args], cwd=cwd, input=stdin,
                          capture_output=True, env=env, timeout=timeout)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


def findings(result: subprocess.CompletedProcess[str]) -> list[dict]:
    return json.loads(result.stdout)["findings"] if result.stdout.strip() else []


def paths_with_findings(result: subprocess.CompletedProcess[str]) -> set[str]:
    return {Path(f["path"]).name for f in findings(result)}


def error_lines(result: subprocess.CompletedProcess[str], name: str) -> list[str]:
    return [line for line in result.stderr.splitlines() if name in line and "error" in line]


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    """Every line on stderr is one of replylint's own one-line messages."""
    assert "Traceback" not in result.stderr, result.stderr
    assert all(line.startswith("replylint: ") for line in result.stderr.splitlines()), result.stderr


@pytest.fixture
def good(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(RISKY, encoding="utf-8")
    return tmp_path


# 1. Any exception in one file is that file's one-line error ------------------------------------

FAILURES = [RecursionError("maximum recursion depth exceeded"),
            UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
            MemoryError(), ValueError("bad\nvalue"), KeyError("x")]


@pytest.fixture
def failing_lint(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """check_document raises the chosen exception for any text containing BOOM."""
    chosen: list[BaseException] = []
    real = runner.check_document

    def lint(document, *args, **kwargs):
        if "BOOM" in document.source:
            raise chosen[0]
        return real(document, *args, **kwargs)

    monkeypatch.setattr(runner, "check_document", lint)
    yield chosen


@pytest.mark.parametrize("exc", FAILURES, ids=lambda e: type(e).__name__)
def test_any_exception_while_linting_is_that_files_error(good: Path, failing_lint, exc: BaseException) -> None:
    failing_lint.append(exc)
    (good / "bad.txt").write_text("BOOM. " + RISKY, encoding="utf-8")
    jobs = [Job(str(good / "bad.txt"), True), Job(str(good / "a.txt"), True)]
    bad, fine = check_all(jobs, Settings(Config(), "en"))
    assert isinstance(bad, InputError) and "\n" not in str(bad)
    assert str(bad).startswith(f"{good / 'bad.txt'}: could not be checked")
    assert isinstance(fine, FileResult) and [f.rule for f in fine.findings] == ["RL201"]


def test_any_exception_while_parsing_is_that_files_error(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = runner.read_document

    def parse(text, *args, **kwargs):
        if "BOOM" in text:
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(runner, "read_document", parse)
    (good / "bad.json").write_text('[{"body": "BOOM"}]', encoding="utf-8")
    jobs = [Job(str(good / "bad.json"), True), Job(str(good / "a.txt"), True)]
    bad, fine = check_all(jobs, Settings(Config(), "en"))
    assert isinstance(bad, InputError) and "nested too deeply" in str(bad)
    assert isinstance(fine, FileResult) and fine.findings


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="workers must inherit the fault injection")
def test_worker_processes_isolate_exceptions_and_dead_workers(good: Path, failing_lint,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """With --jobs 2 (forked workers inherit the fault injection): an exception in a worker, and
    a worker that dies outright, each cost only their own file."""
    failing_lint.append(UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"))
    lint = runner.check_document

    def dying(document, *args, **kwargs):
        if "DIE" in document.source:
            os._exit(3)
        return lint(document, *args, **kwargs)

    monkeypatch.setattr(runner, "check_document", dying)
    api.check(RISKY)  # load the pipeline once here, so the forked workers start warm
    names = ["a.txt", "boom.txt", "b.txt", "die.txt", "c.txt"]
    for name in names[1:]:
        (good / name).write_text({"boom.txt": "BOOM. ", "die.txt": "DIE. "}.get(name, "") + RISKY, encoding="utf-8")
    outcomes = list(check_all([Job(str(good / n), True) for n in names], Settings(Config(), "en"), workers=2))
    kinds = [type(o).__name__ for o in outcomes]
    assert kinds == ["FileResult", "InputError", "FileResult", "InputError", "FileResult"]
    assert "UnicodeEncodeError" in str(outcomes[1]) and "worker process stopped" in str(outcomes[3])
    assert all(o.findings for o in outcomes if isinstance(o, FileResult))


INJECT = """
import sys
import replylint.cli.runner as runner
real = runner.check_document
def lint(document, *args, **kwargs):
    if "BOOM" in document.source:
        raise {exc}
    return real(document, *args, **kwargs)
runner.check_document = lint
sys.argv = ["replylint", *sys.argv[1:]]
from replylint.cli.main import run
run()
"""


@pytest.mark.parametrize(("jobs", "exc"), [("1", "RecursionError('maximum recursion depth exceeded')"),
                                           ("2", "UnicodeEncodeError('utf-8', '\\ud800', 0, 1, 'surrogates')")])
def test_cli_reports_the_failing_file_and_the_others(good: Path, jobs: str, exc: str) -> None:
    (good / "bad.txt").write_text("BOOM. " + RISKY, encoding="utf-8")
    (good / "z.txt").write_text(RISKY, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", INJECT.format(exc=exc), "check", "--format", "json", "-j", jobs,
                           "a.txt", "bad.txt", "z.txt"], cwd=good, capture_output=True, text=True, timeout=180)
    assert done.returncode == 2, done.stderr
    assert_no_traceback(done)
    assert len(error_lines(done, "bad.txt")) == 1
    assert paths_with_findings(done) == {"a.txt", "z.txt"}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_lone_surrogate_bundle_never_takes_the_run_down(good: Path, jobs: str) -> None:
    (good / "s.json").write_text('[{"body":"No, \\ud800 x"}]', encoding="utf-8")
    (good / "z.txt").write_text(RISKY, encoding="utf-8")
    done = cli("check", "--format", "json", "-j", jobs, "a.txt", "s.json", "z.txt", cwd=good)
    assert_no_traceback(done)
    assert done.returncode in (1, 2)  # findings for the surrogate reply, or its one-line error
    assert {"a.txt", "z.txt"} <= paths_with_findings(done)
    assert len(error_lines(done, "s.json")) == (done.returncode == 2)


# 2. Standard input that is not text ---------------------------------------------------------------

def test_undecodable_stdin_is_its_error_and_the_files_are_checked(good: Path) -> None:
    done = cli("check", "--format", "json", "a.txt", "-", cwd=good, stdin=b"\xff")
    assert done.returncode == 2
    assert error_lines(done, "<stdin>") == ["replylint: error: <stdin>: not UTF-8 text: invalid byte 0xff at offset 0"]
    assert paths_with_findings(done) == {"a.txt"}


# 3. Unreadable folders ------------------------------------------------------------------------------

def test_a_folder_that_cannot_be_listed_is_reported(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Discovery reports a folder it cannot list (as any user, root included: the listing is made to fail)."""
    locked = good / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text(RISKY, encoding="utf-8")
    real = os.scandir

    def scandir(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = list(discover([str(good)]))
    assert str(good / "a.txt") in found and str(locked / "x.txt") not in found
    [error] = [f for f in found if isinstance(f, InputError)]
    assert str(error) == f"{locked}: folder cannot be read: Permission denied; its files are not checked"
    monkeypatch.chdir(good)
    jobs = list(jobs_for([str(good)], Config()))
    outcomes = list(check_all(jobs, Settings(Config(), "en")))
    assert [type(o).__name__ for o in outcomes] == ["FileResult", "InputError"]


def test_locked_folder_end_to_end() -> None:
    """`check locked/x.txt` and `check .` with a folder the user cannot read; as root (who reads
    everything) the command runs as nobody."""
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot drop to an unprivileged user")
        prefix = (setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--")
    root = Path(tempfile.mkdtemp(prefix="replylint-locked-"))
    base, home = root / "work", root / "home"
    try:
        root.chmod(0o755)
        base.mkdir(mode=0o755)
        home.mkdir()
        home.chmod(0o777)
        (base / "a.txt").write_text(RISKY, encoding="utf-8")
        (base / "a.txt").chmod(0o644)
        locked = base / "locked"
        locked.mkdir()
        (locked / "x.txt").write_text(RISKY, encoding="utf-8")
        locked.chmod(0)
        env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home), "REPLYLINT_CACHE_DIR": str(home)}
        one = cli("check", "--format", "json", "locked/x.txt", "a.txt", cwd=base, env=env, prefix=prefix)
        assert one.returncode == 2, one.stderr
        assert_no_traceback(one)
        assert error_lines(one, "locked/x.txt") == ["replylint: error: locked/x.txt: cannot be read: Permission denied"]
        assert paths_with_findings(one) == {"a.txt"}
        every = cli("check", "--format", "json", ".", cwd=base, env=env, prefix=prefix)
        assert every.returncode == 2, every.stderr
        assert error_lines(every, "locked") == [
            "replylint: error: locked: folder cannot be read: Permission denied; its files are not checked"]
        assert paths_with_findings(every) == {"a.txt"}
    finally:
        if (base / "locked").exists():
            (base / "locked").chmod(0o755)
        shutil.rmtree(root)


# 4. Only regular files, never more than the cap ------------------------------------------------------

def test_devices_and_fifos_are_refused_without_reading(good: Path) -> None:
    os.mkfifo(good / "pipe.txt")
    began = time.monotonic()
    done = cli("check", "--format", "json", "/dev/zero", "pipe.txt", "a.txt", cwd=good, timeout=60)
    assert time.monotonic() - began < 60
    assert done.returncode == 2
    assert error_lines(done, "/dev/zero") == ["replylint: error: /dev/zero: not a regular file (a device, pipe or "
                                              "socket); not read"]
    assert len(error_lines(done, "pipe.txt")) == 1 and "not a regular file" in done.stderr
    assert paths_with_findings(done) == {"a.txt"}


class Endless(io.RawIOBase):
    """A stream that never ends, counting what was taken from it."""

    def __init__(self) -> None:
        self.taken = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        assert size is not None and size > 0, "an unbounded read"
        return super().read(size)

    def readinto(self, buffer) -> int:
        size = len(buffer)
        buffer[:size] = b"x" * size
        self.taken += size
        return size


def test_reads_stop_one_byte_past_the_cap(tmp_path: Path) -> None:
    stream = Endless()
    with pytest.raises(LimitError, match="too large"):
        read_stream(stream, limit=5000)
    assert stream.taken == 5001
    big = tmp_path / "big.txt"
    big.write_bytes(b"y" * 2000)
    assert read_regular_file(big, limit=2000) == b"y" * 2000
    with pytest.raises(LimitError, match=r"file too large \(2,000 bytes; limit 1,999\)"):
        read_regular_file(big, limit=1999)
    with pytest.raises(LimitError, match="not a regular file"):
        read_regular_file("/dev/zero")


def test_oversized_stdin_is_refused(good: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Endless()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(stream)))
    with pytest.raises(InputError, match=r"<stdin>: input too large \(more than 67,108,864 bytes"):
        read("-")
    assert stream.taken <= 64 * 1024 * 1024 + 1024 * 1024


# 5. Bad exclude patterns ------------------------------------------------------------------------------

def test_bad_exclude_is_a_config_error(good: Path) -> None:
    done = cli("check", "--exclude", "!", ".", cwd=good)
    assert done.returncode == 2
    assert_no_traceback(done)
    assert done.stderr.splitlines() == [
        "replylint: error: --exclude: exclude: invalid pattern '!': Invalid git pattern: '!' (expected .gitignore "
        "syntax, e.g. 'drafts/' or '*.tmp')"]
    (good / ".replylint.toml").write_text('exclude = ["drafts/", "!"]\n', encoding="utf-8")
    done = cli("check", ".", cwd=good)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith("replylint: error: ") and ".replylint.toml: exclude: invalid pattern '!'" in line


# 6. UTF-16 and UTF-32 with a BOM ------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"])
def test_text_with_a_bom_is_decoded(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16-be": codecs.BOM_UTF16_BE, "utf-32-be": codecs.BOM_UTF32_BE}.get(encoding, b"")
    data = bom + f"Hi,\n{REPLY}\n".encode(encoding)
    path = tmp_path / "reply.txt"
    path.write_bytes(data)
    source = read(str(path))
    assert source.text == f"Hi,\n{REPLY}\n" and source.bom
    assert source.encode(source.text) == data  # what a rewrite needs to keep the encoding and BOM
    done = replylint("check", "--format", "json", "reply.txt", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert {(f["rule"], f["line"], f["column"]) for f in findings(done)} >= {("RL201", 2, 5)}


def test_bomless_utf16_is_named_not_called_binary() -> None:
    with pytest.raises(InputError, match="UTF-16 text without a byte-order mark"):
        decode(REPLY.encode("utf-16-le"), "x.txt")
    assert decode(REPLY.encode("utf-8"), "x.txt").encoding == "utf-8"
    with pytest.raises(InputError, match="binary file"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", "x.png")


# 7. Lone-CR line endings ----------------------------------------------------------------------------------

MAIL = ["Hi,", "", "> No, you're wrong, I was charged twice.", "",
        "We can refund the fee. Obviously, you should have read the terms first.",
        "You're wrong about the date though.", "",
        "-- ", "No, Bob, you're wrong"]


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"], ids=["CR", "CRLF", "LF"])
def test_line_breaks_of_every_kind(tmp_path: Path, newline: str) -> None:
    (tmp_path / "mail.txt").write_bytes(newline.join(MAIL).encode())
    done = replylint("check", "--format", "json", "mail.txt", cwd=tmp_path)
    where = sorted((f["line"], f["column"], f["rule"]) for f in findings(done))
    lines = {line for line, _, _ in where}
    assert lines == {5, 6}, where  # not the quoted line 3, not the signature line 9, not all on line 1
    assert (6, 1, "RL201") in where


def test_line_index_counts_every_kind_of_break() -> None:
    index = LineIndex("a\rb\r\nc\nd")
    assert [index.position(i) for i in (0, 2, 5, 7)] == [(1, 1), (2, 1), (3, 1), (4, 1)]
    assert index.position(3) == (2, 2)  # the \r of a \r\n is still on line 2


# 8. YAML and JSON: depth, self-reference, alias bombs ---------------------------------------------------

def test_deep_and_self_referencing_bundles_end_to_end(good: Path) -> None:
    (good / "d.yaml").write_text("[" * 400 + "]" * 400 + "\n", encoding="utf-8")
    (good / "deep.json").write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    (good / "self.yaml").write_text('&a [*a, {title: x, body: "No."}]\n', encoding="utf-8")
    done = cli("check", "--format", "json", "a.txt", "d.yaml", "deep.json", "self.yaml", cwd=good)
    assert done.returncode == 2
    assert_no_traceback(done)
    assert error_lines(done, "d.yaml") == [
        f"replylint: error: d.yaml: YAML nested more than {MAX_DEPTH} levels deep at line 1, column {MAX_DEPTH + 1}; "
        "not read"]
    assert error_lines(done, "deep.json") == [
        f"replylint: error: deep.json: JSON nested more than {MAX_DEPTH} levels deep at line 1, "
        f"column {MAX_DEPTH + 1}; not read"]
    assert [(f["rule"], f["response"]) for f in findings(done) if f["path"] == "self.yaml"] == [("RL101", "x")]
    assert paths_with_findings(done) == {"a.txt", "self.yaml"}


def bomb(levels: int, fan: int, first: str) -> str:
    lines = [f"a0: &a0 {first}"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [{','.join(f'*a{level - 1}' for _ in range(fan))}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("first", [f'{{title: t, body: "{REPLY}"}}', f'{{x: "{REPLY}", y: "{REPLY}"}}'],
                         ids=["responses", "generic-map"])
def test_alias_bombs_are_bounded_and_count_a_reply_once(first: str) -> None:
    text = bomb(9, 9, first)  # 9**8 = 43 million replies if aliases were expanded
    assert len(text) < 500  # a few hundred bytes
    began = time.perf_counter()
    document = read_document(text, "yaml")
    assert time.perf_counter() - began < 1.0
    once = read_document(f"a0: {first}\n", "yaml")
    assert [s.label for s in document.segments] == [s.label for s in once.segments]
    assert len(api.check(text, format="yaml")) == len(api.check(f"a0: {first}\n", format="yaml")) > 0


def test_alias_uses_are_capped() -> None:
    text = f"a: &a {{body: x}}\nb: [{', '.join(['*a'] * (MAX_ALIASES + 1))}]\n"
    with pytest.raises(LimitError, match=f"YAML uses more than {MAX_ALIASES:,} aliases at line 2"):
        read_document(text, "yaml")
    read_document(f"a: &a {{body: x}}\nb: [{', '.join(['*a'] * MAX_ALIASES)}]\n", "yaml")


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_depth_limit_is_shared_by_json_and_yaml(fmt: str) -> None:
    inner = json.dumps({"title": "t", "body": REPLY})
    at_limit = '{"a":' * (MAX_DEPTH - 2) + inner + "}" * (MAX_DEPTH - 2)
    assert [s.label for s in read_document(at_limit, fmt).segments] == ["t"]
    with pytest.raises(LimitError, match=f"nested more than {MAX_DEPTH} levels deep"):
        read_document("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), fmt)


# 9. A rule file nested 2,000 deep --------------------------------------------------------------------------

RULE = """\
code: XX101
name: test-rule
family: blunt-no
severity: warning
message: "flat {match}"
why: because
match:
  phrases: ["zorble"]
examples:
  flagged: ["We [[zorble]] it."]
  allowed: ["No problem."]
"""


def test_deep_rule_file_is_its_error_and_the_other_rules_load(tmp_path: Path) -> None:
    folder = tmp_path / "team" / "en" / "blunt-no"
    folder.mkdir(parents=True)
    (folder / "deep.yaml").write_text("[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")
    (folder / "test-rule.yaml").write_text(RULE, encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"deep.yaml:1: yaml: YAML nested more than 100 levels deep"):
        load_rule_file(folder / "deep.yaml", "en")
    (tmp_path / ".replylint.toml").write_text('rule-folders = ["team"]\n', encoding="utf-8")
    (tmp_path / "reply.txt").write_text("We zorble it. " + RISKY, encoding="utf-8")
    env = {**os.environ, "REPLYLINT_CACHE_DIR": str(tmp_path / "cache")}
    done = cli("check", "--format", "json", "reply.txt", cwd=tmp_path, env=env)
    assert done.returncode == 2
    assert_no_traceback(done)
    [line] = [line for line in done.stderr.splitlines() if "error" in line]
    assert "deep.yaml:1: yaml: YAML nested more than 100 levels" in line
    assert {f["rule"] for f in findings(done)} >= {"XX101", "RL201"}
