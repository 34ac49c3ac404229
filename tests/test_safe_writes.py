"""The one atomic writer (replylint.safewrite) and the writes that go through it: baseline,
rule docs, config edits and the ignore file. Failures are injected (disk full, fsync error,
permission, a file edited meanwhile) and the file on disk must be byte-identical afterwards."""
from __future__ import annotations

import codecs
import errno
import json
import os
import stat
import threading
from pathlib import Path

import pytest
from clirunner import replylint as run_cli

import replylint.editor.ignore_entries as ignore_entries
from replylint import safewrite
from replylint.cli.baseline import write_baseline
from replylint.cli.diffs import NO_NEWLINE, lines_of, unified_diff
from replylint.cli.results import FileResult
from replylint.editor.config_edit import add_to_config_list
from replylint.editor.ignore_entries import add_ignore_entry
from replylint.engine.ruledocs import write_docs
from replylint.errors import ReplylintError, WriteError
from replylint.inputs.files import Source, decode
from replylint.safewrite import ABSENT, check_writable, read_for_update, write_atomic

ORIGINAL = b"line one\r\nline two\r\n" * 500


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".replylint-tmp")]


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "reply.txt"
    path.write_bytes(ORIGINAL)
    path.chmod(0o640)
    return path


def test_write_replaces_and_keeps_the_mode(target: Path) -> None:
    write_atomic(target, b"new\n", expected=ORIGINAL)
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _leftovers(target.parent) == []


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.json", b"{}\n", expected=ABSENT)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


def test_a_symlink_is_written_through_and_kept(target: Path) -> None:
    link = target.parent / "link.txt"
    link.symlink_to(target.name)
    write_atomic(link, b"through\n")
    assert link.is_symlink() and target.read_bytes() == b"through\n"


def test_changed_since_read_is_refused(target: Path) -> None:
    target.write_bytes(ORIGINAL + b"edited in the editor\n")
    with pytest.raises(WriteError, match=r"reply\.txt: changed since it was read; not written"):
        write_atomic(target, b"fixed\n", expected=ORIGINAL)
    assert target.read_bytes() == ORIGINAL + b"edited in the editor\n"
    same_size = bytes(reversed(ORIGINAL))
    target.write_bytes(same_size)
    with pytest.raises(WriteError, match="changed since it was read"):
        write_atomic(target, b"fixed\n", expected=ORIGINAL)
    assert target.read_bytes() == same_size


def test_a_file_that_appeared_meanwhile_is_refused(tmp_path: Path) -> None:
    path = tmp_path / ".replylint-ignore"
    path.write_bytes(b"# someone else's\n")
    with pytest.raises(WriteError, match="changed since it was read"):
        write_atomic(path, b"mine\n", expected=ABSENT)
    assert path.read_bytes() == b"# someone else's\n"


def test_a_file_removed_meanwhile_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="removed since it was read"):
        write_atomic(tmp_path / "gone.txt", b"x", expected=b"was here")
    assert not (tmp_path / "gone.txt").exists()


@pytest.mark.parametrize("kind", ["folder", "fifo", "device"])
def test_non_regular_targets_are_refused(tmp_path: Path, kind: str) -> None:
    if kind == "folder":
        path = tmp_path / "dir"
        path.mkdir()
    elif kind == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
    else:
        path = Path("/dev/full")
        if not path.exists():
            pytest.skip("no /dev/full here")
    with pytest.raises(WriteError) as caught:
        write_atomic(path, b"data")
    assert str(caught.value).startswith(f"{path}: ") and "not written" in str(caught.value)
    assert "\n" not in str(caught.value)
    with pytest.raises(WriteError):
        check_writable(path)


def test_missing_folder_and_file_as_folder(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match=r"folder .*nowhere does not exist"):
        write_atomic(tmp_path / "nowhere" / "x.json", b"{}")
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    with pytest.raises(WriteError, match="is not a folder"):
        write_atomic(tmp_path / "plain" / "x.json", b"{}")


def test_read_only_file_and_folder_are_left_alone(target: Path) -> None:
    target.chmod(0o444)
    with pytest.raises(WriteError, match="is read-only; not written"):
        write_atomic(target, b"x", expected=ORIGINAL)
    assert target.read_bytes() == ORIGINAL
    target.chmod(0o644)
    target.parent.chmod(0o555)
    try:
        with pytest.raises(WriteError, match=r"folder .* is read-only"):
            write_atomic(target, b"x", expected=ORIGINAL)
    finally:
        target.parent.chmod(0o755)
    assert target.read_bytes() == ORIGINAL and _leftovers(target.parent) == []


def _fail_halfway(code: int):
    real_write = os.write

    def write(fd: int, data) -> int:
        if len(data) > 1:
            real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(code, os.strerror(code))

    return write


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EFBIG, errno.EDQUOT])
def test_a_write_failing_midway_leaves_the_original(target: Path, monkeypatch: pytest.MonkeyPatch,
                                                    code: int) -> None:
    monkeypatch.setattr(safewrite.os, "write", _fail_halfway(code))
    with pytest.raises(WriteError) as caught:
        write_atomic(target, ORIGINAL.upper(), expected=ORIGINAL)
    monkeypatch.undo()
    assert os.strerror(code) in str(caught.value) and "unchanged" in str(caught.value)
    assert target.read_bytes() == ORIGINAL
    assert _leftovers(target.parent) == []


def test_fsync_failure_and_permission_denied_leave_the_original(target: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fsync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(safewrite.os, "fsync", no_fsync)
    with pytest.raises(WriteError, match="Input/output error"):
        write_atomic(target, b"x", expected=ORIGINAL)
    monkeypatch.undo()
    assert target.read_bytes() == ORIGINAL and _leftovers(target.parent) == []

    real_open = os.open

    def denied(path, flags, *args):
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(safewrite.os, "open", denied)
    with pytest.raises(WriteError, match="Permission denied"):
        write_atomic(target, b"x", expected=ORIGINAL)
    monkeypatch.undo()
    assert target.read_bytes() == ORIGINAL


def test_write_error_is_one_line_and_both_kinds() -> None:
    error = WriteError("odd\nname.txt", "not written")
    assert isinstance(error, ReplylintError) and isinstance(error, OSError)
    assert "\n" not in str(error) and str(error).endswith(": not written")


def test_read_for_update_refuses_fifo_without_waiting(tmp_path: Path) -> None:
    assert read_for_update(tmp_path / "missing.txt") is None
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    outcome: list[object] = []

    def read() -> None:
        try:
            read_for_update(pipe)
        except WriteError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(10)
    assert outcome and "not a regular file" in str(outcome[0])
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(WriteError, match="too large"):
        read_for_update(big, limit=1000)


def test_text_form_round_trips() -> None:
    for data in (codecs.BOM_UTF8 + "Hi\r\nthere ✓".encode(), "plain ✓\n".encode(),
                 codecs.BOM_UTF16_LE + "Hej då\r\n".encode("utf-16-le"),
                 codecs.BOM_UTF16_BE + "Hei\n".encode("utf-16-be")):
        form = decode(data, "x.toml")
        assert "\ufeff" not in form.text and form.encode(form.text) == data
    assert Source("x.toml", "").encode("x") == b"x"


def test_diff_lines_end_only_at_newline() -> None:
    assert lines_of("a\u2028b\x0cc\rd\ne") == ["a\u2028b\x0cc\rd\n", "e"]
    diff = list(unified_diff("keep\nold", "keep\nnew", "a/x", "b/x"))
    assert diff.count(NO_NEWLINE) == 2 and all(line.endswith("\n") for line in diff)
    assert list(unified_diff("same\n", "same\n", "a/x", "b/x")) == []


# --- the writers that use it --------------------------------------------------------------

def test_baseline_write_failure_keeps_the_old_baseline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "baseline.json"
    path.write_text('{"version": 1, "entries": {}}\n', encoding="utf-8")
    before = path.read_bytes()
    monkeypatch.setattr(safewrite.os, "write", _fail_halfway(errno.ENOSPC))
    with pytest.raises(WriteError, match="No space left on device"):
        write_baseline([FileResult("a.txt", "x", [])], path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert write_baseline([FileResult("a.txt", "x", [])], path) == 0
    assert json.loads(path.read_text(encoding="utf-8"))["entries"] == {}


@pytest.mark.parametrize("output", ["/nonexistent/x.json", "DIR", "/dev/full"])
def test_baseline_bad_output_is_one_line(tmp_path: Path, output: str) -> None:
    (tmp_path / "reply.txt").write_text("Thanks for waiting.\n", encoding="utf-8")
    if output == "DIR":
        (tmp_path / "out").mkdir()
        output = "out"
    elif output == "/dev/full" and not Path(output).exists():
        pytest.skip(f"no {output} here")
    result = run_cli("baseline", "reply.txt", "-o", output, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("replylint: error:")]
    assert errors == [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and output in errors[0] and "not written" in errors[0]
    assert "Traceback" not in result.stderr and not (tmp_path / output).is_file()


def test_write_docs_into_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("keep me\n", encoding="utf-8")
    result = run_cli("rules", "--write-docs", "a.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "replylint: error: a.txt: is a file, not a folder; no pages written"
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "keep me\n"


def test_write_docs_writes_pages_and_drops_stale_ones(tmp_path: Path) -> None:
    from replylint.engine.ruleset import load_rules

    rules = list(load_rules("en", ()).rules)[:3]
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "stale.md").write_text("old\n", encoding="utf-8")
    written = write_docs(rules, folder)
    assert {p.name for p in folder.iterdir()} == {p.name for p in written}
    assert "index.md" in {p.name for p in written} and _leftovers(folder) == []


def test_config_edit_keeps_bom_and_mode_and_refuses_a_concurrent_edit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / ".replylint.toml"
    path.write_bytes(codecs.BOM_UTF8 + b'# team\nignore = ["RL905"]\n')
    path.chmod(0o600)
    assert add_to_config_list(path, "ignore", "RL201")
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and b"# team" in data and b'"RL201"' in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    import replylint.editor.config_edit as config_edit

    real_validate = config_edit._validate

    def validate_while_someone_saves(where: Path, text: str):
        where.write_bytes(data + b"# saved by a colleague\n")
        return real_validate(where, text)

    monkeypatch.setattr(config_edit, "_validate", validate_while_someone_saves)
    with pytest.raises(WriteError, match="changed since it was read"):
        add_to_config_list(path, "allow", "no problem")
    assert path.read_bytes() == data + b"# saved by a colleague\n"


def test_config_edit_refuses_non_regular_targets(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()
    with pytest.raises(WriteError, match="is a folder"):
        add_to_config_list(tmp_path / "pyproject.toml", "ignore", "RL201")
    os.mkfifo(tmp_path / ".replylint.toml")
    with pytest.raises(OSError, match="not a regular file"):  # the language server catches OSError
        add_to_config_list(tmp_path / ".replylint.toml", "ignore", "RL201")


@pytest.mark.parametrize("rule", ["RL201\n0123456789abcdef RL999", "RL201\r", "RL\x1b[31m201", "RL 201",
                                  "RL201\u2028x", "RL201\x00"])
def test_ignore_file_refuses_a_rule_that_would_break_the_file(tmp_path: Path, rule: str) -> None:
    path = tmp_path / ".replylint-ignore"
    add_ignore_entry(path, "00000000000000aa", "RL201")
    before = path.read_bytes()
    with pytest.raises(ValueError, match="not a rule id"):
        add_ignore_entry(path, "0123456789abcdef", rule)
    assert path.read_bytes() == before


def test_ignore_file_note_is_one_printable_line_and_bom_is_kept(tmp_path: Path) -> None:
    from replylint.engine.ignorefile import read_ignore_file

    path = tmp_path / ".replylint-ignore"
    path.write_bytes(codecs.BOM_UTF8 + b"# ours\n00000000000000aa RL201")
    try:
        read_ignore_file(path)
    except Exception:  # the read side may refuse a BOM; then this test has nothing to say about it
        path.write_bytes(b"# ours\n00000000000000aa RL201")
    start = path.read_bytes()
    assert add_ignore_entry(path, "0123456789abcdef", "RL201", '"you\nare\x1b[2J wrong"\u2028in\x00a.txt')
    data = path.read_bytes()
    assert data.startswith(start) and data.startswith(codecs.BOM_UTF8) == start.startswith(codecs.BOM_UTF8)
    added = data[len(start):].decode("utf-8")
    assert added == '\n0123456789abcdef RL201 "you are [2J wrong" in a.txt\n'
    assert read_ignore_file(path) == {"00000000000000aa", "0123456789abcdef"}


def test_ignore_file_refuses_to_overwrite_a_concurrent_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / ".replylint-ignore"
    add_ignore_entry(path, "00000000000000aa", "RL201")
    real_update = safewrite.read_for_update

    def read_for_update(where, *args, **kwargs):
        data = real_update(where, *args, **kwargs)
        with Path(where).open("a", encoding="utf-8") as handle:
            handle.write("00000000000000bb RL101 added by a colleague\n")
        return data

    monkeypatch.setattr(ignore_entries, "read_for_update", read_for_update)
    with pytest.raises(WriteError, match="changed since it was read"):
        add_ignore_entry(path, "0123456789abcdef", "RL201")
    assert path.read_text(encoding="utf-8").endswith("added by a colleague\n")
    assert "0123456789abcdef" not in path.read_text(encoding="utf-8")
