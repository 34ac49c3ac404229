"""`replylint fix` never loses data: the write fails midway (file-size limit, full disk,
permission) and the original is byte-identical; an edit made during the run is kept; the BOM,
line endings and mode stay; `fix -` writes to stdout; `--diff` output applies with `patch`;
stacked openers are fixed in one run."""
from __future__ import annotations

import codecs
import resource
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from clirunner import replylint as run_cli

import replylint
import replylint.cli.main as cli
from replylint.engine.fixing import MAX_PASSES, fix_text
from replylint.engine.model import Finding, Suggestion

LINE = "Obviously, the parcel {} left our warehouse today and should arrive soon.\n"
STACKED = "Obviously, clearly, evidently, actually, needless to say, again, once again, the parcel left."


def _big(path: Path, size: int = 8009) -> bytes:
    """A file of `size` bytes whose every line has a safe fix."""
    text, n = "", 0
    while len(text.encode()) < size:
        text += LINE.format(n)
        n += 1
    data = text.encode()[:size - 1] + b"\n"
    path.write_bytes(data)
    return data


def _errors(stderr: str) -> list[str]:
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.splitlines() if line.startswith("replylint: error:")]


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".replylint-tmp")]


def _run_limited(args: list[str], cwd: Path, fsize: int) -> subprocess.CompletedProcess[str]:
    """The CLI with RLIMIT_FSIZE set, SIGXFSZ ignored so an oversized write fails with EFBIG."""
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run([sys.executable, "-m", "replylint", *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", timeout=120, preexec_fn=limit)


def test_file_size_limit_midway_leaves_the_original(tmp_path: Path) -> None:
    original = _big(tmp_path / "big.txt")
    assert len(original) == 8009
    result = _run_limited(["fix", "big.txt"], tmp_path, 4096)
    assert result.returncode == 2, result.stderr
    errors = _errors(result.stderr)
    assert len(errors) == 1 and errors[0].startswith("replylint: error: big.txt: not written: File too large")
    assert (tmp_path / "big.txt").read_bytes() == original
    assert _leftovers(tmp_path) == []


def _can_mount_tmpfs(where: Path) -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs '{where}'"],
                           capture_output=True, timeout=30)
    return probe.returncode == 0


def test_full_disk_midway_leaves_the_original(tmp_path: Path) -> None:
    """A 256 KB tmpfs, filled but for 8 KB, in a private mount namespace: the temporary file
    runs out of space part way through a 40 KB rewrite."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not _can_mount_tmpfs(mount):
        pytest.skip("cannot mount a tmpfs here (needs unshare -m and mount)")
    original = _big(tmp_path / "big.txt", 40_000)
    out = tmp_path / "out"
    out.mkdir()
    script = f"""
set -e
mount -t tmpfs -o size=256k tmpfs '{mount}'
cp '{tmp_path}/big.txt' '{mount}/big.txt'
dd if=/dev/zero of='{mount}/fill' bs=4096 2>/dev/null || true
truncate -s -8192 '{mount}/fill'
cd '{mount}'
set +e
'{sys.executable}' -m replylint fix big.txt 2> '{out}/stderr'
echo $? > '{out}/rc'
cp '{mount}/big.txt' '{out}/after.txt'
ls -a '{mount}' > '{out}/listing'
"""
    subprocess.run(["unshare", "-m", "sh", "-c", script], check=True, timeout=180)
    stderr = (out / "stderr").read_text(encoding="utf-8")
    assert (out / "rc").read_text().strip() == "2", stderr
    errors = _errors(stderr)
    assert len(errors) == 1 and "big.txt: not written: No space left on device" in errors[0]
    assert (out / "after.txt").read_bytes() == original
    assert not any(name.endswith(".replylint-tmp") for name in (out / "listing").read_text().split())


@pytest.mark.parametrize("locked", ["file", "folder"])
def test_read_only_is_one_line_and_the_other_files_are_fixed(tmp_path: Path, locked: str) -> None:
    (tmp_path / "locked").mkdir()
    kept = tmp_path / "locked" / "a.txt"
    kept.write_text(STACKED + "\n", encoding="utf-8")
    other = tmp_path / "b.txt"
    other.write_text("Obviously, the parcel left.\n", encoding="utf-8")
    victim = kept if locked == "file" else kept.parent
    victim.chmod(0o444 if locked == "file" else 0o555)
    try:
        result = run_cli("fix", "locked/a.txt", "b.txt", cwd=tmp_path)
    finally:
        victim.chmod(0o644 if locked == "file" else 0o755)
    assert result.returncode == 2
    errors = _errors(result.stderr)
    assert len(errors) == 1 and "locked/a.txt" in errors[0] and "read-only; not written" in errors[0]
    assert kept.read_text(encoding="utf-8") == STACKED + "\n"
    assert other.read_text(encoding="utf-8") == "The parcel left.\n"
    assert "fixed 1 file" in result.stderr


def test_an_edit_during_the_run_is_not_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "reply.txt"
    path.write_text("Obviously, the parcel left.\n", encoding="utf-8")
    saved = "Obviously, the parcel left.\nI added this line in my editor.\n"
    real_fix = replylint.fix

    def fix_while_the_agent_saves(text: str, *args, **kwargs) -> str:
        path.write_text(saved, encoding="utf-8")
        return real_fix(text, *args, **kwargs)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(replylint, "fix", fix_while_the_agent_saves)
    assert cli.main(["fix", "reply.txt"]) == 2
    stderr = capsys.readouterr().err
    assert _errors(stderr) == ["replylint: error: reply.txt: changed since it was read; not written"]
    assert path.read_text(encoding="utf-8") == saved


@pytest.mark.parametrize("name, body", [
    ("reply.txt", "Obviously, the parcel left.\r\nClearly, it is late.\r\n"),
    ("macros.json", '[{"title": "Late", "body": "Obviously, the parcel left.\\r\\nClearly, it is late."}]\r\n'),
])
def test_bom_line_endings_and_mode_are_kept(tmp_path: Path, name: str, body: str) -> None:
    path = tmp_path / name
    path.write_bytes(codecs.BOM_UTF8 + body.encode("utf-8"))
    path.chmod(0o640)
    result = run_cli("fix", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8) and not data[3:].startswith(codecs.BOM_UTF8)
    text = data[3:].decode("utf-8")
    assert "Obviously" not in text and "The parcel left." in text and "It is late." in text
    assert text.count("\r\n") == body.count("\r\n") and "\n" not in text.replace("\r\n", "")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_stays_utf16(tmp_path: Path, codec: str, bom: bytes) -> None:
    path = tmp_path / "reply.txt"
    path.write_bytes(bom + "Obviously, the parcel left.\r\nHälsningar\r\n".encode(codec))
    result = run_cli("fix", "reply.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.read_bytes() == bom + "The parcel left.\r\nHälsningar\r\n".encode(codec)


def test_fix_stdin_writes_to_stdout_never_a_file(tmp_path: Path) -> None:
    result = run_cli("fix", "-", cwd=tmp_path, stdin="Obviously, the parcel left.\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "The parcel left.\n"
    unchanged = run_cli("fix", "-", cwd=tmp_path, stdin="Thanks for waiting.")
    assert unchanged.returncode == 0 and unchanged.stdout == "Thanks for waiting."
    diff = run_cli("fix", "--diff", "-", cwd=tmp_path, stdin="Obviously, the parcel left.\n")
    assert diff.returncode == 1
    assert "-Obviously, the parcel left.\n+The parcel left.\n" in diff.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("body", [
    "Hi Sam,\n\nObviously, the parcel left.",
    "Obviously, the parcel left.\r\nThanks,\r\nAnn",
    "\ufeffObviously, the parcel left.\nBye",
    "Obviously,\u2028the parcel left.\x0cClearly, it is late.",
])
@pytest.mark.parametrize("tool", ["patch", "git"])
def test_diff_applies_with_patch_and_git(tmp_path: Path, body: str, tool: str) -> None:
    if not shutil.which(tool):
        pytest.skip(f"{tool} is not installed")
    original = body.encode("utf-8")
    (tmp_path / "reply.txt").write_bytes(original)
    diff = subprocess.run([sys.executable, "-m", "replylint", "fix", "--diff", "reply.txt"], cwd=tmp_path,
                          capture_output=True, timeout=120)  # bytes: text mode would turn CRLF into LF
    assert diff.returncode == 1, diff.stderr
    if not body.endswith("\n"):
        assert b"\\ No newline at end of file\n" in diff.stdout
    patched = tmp_path / "patched"
    patched.mkdir()
    (patched / "reply.txt").write_bytes(original)
    command = ["patch", "-p1", "--batch"] if tool == "patch" else ["git", "apply", "--unsafe-paths", "-p1", "-"]
    applied = subprocess.run(command, cwd=patched, input=diff.stdout, capture_output=True,
                             timeout=60)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert run_cli("fix", "reply.txt", cwd=tmp_path).returncode == 0
    assert (patched / "reply.txt").read_bytes() == (tmp_path / "reply.txt").read_bytes() != original


def test_stacked_openers_are_fixed_in_one_run(tmp_path: Path) -> None:
    (tmp_path / "reply.txt").write_text(f"Hi Sam,\n\n{STACKED}\n", encoding="utf-8")
    result = run_cli("fix", "reply.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "reply.txt").read_text(encoding="utf-8") == "Hi Sam,\n\nThe parcel left.\n"
    assert run_cli("fix", "--diff", "reply.txt", cwd=tmp_path).returncode == 0  # nothing left
    assert replylint.fix(STACKED) == "The parcel left."


def _finding(start: int, end: int, replacement: str) -> Finding:
    return Finding("RL000", "test", "test", "info", "", "", start, end, 1, 1,
                   [Suggestion(replacement, start, end, True)])


def test_rewrites_that_undo_each_other_stop() -> None:
    calls: list[str] = []

    def flip(text: str) -> list[Finding]:  # "a" -> "b" -> "a" -> …
        calls.append(text)
        return [_finding(0, 1, "b" if text.startswith("a") else "a")]

    assert fix_text("a!", flip) == "b!"
    assert len(calls) == 2


def test_a_runaway_rewrite_is_bounded() -> None:
    calls: list[str] = []

    def grow(text: str) -> list[Finding]:  # always another finding: "x" -> "xx" -> …
        calls.append(text)
        return [_finding(0, 1, "xx")]

    fixed = fix_text("x", grow)
    assert len(calls) == MAX_PASSES and fixed == "x" * (MAX_PASSES + 1)


def test_a_file_that_cannot_be_fixed_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Obviously, the parcel left.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Clearly, the parcel left.\n", encoding="utf-8")
    (tmp_path / "a.txt").chmod(0o444)
    try:
        result = run_cli("fix", ".", cwd=tmp_path)
    finally:
        (tmp_path / "a.txt").chmod(0o644)
    assert result.returncode == 2 and len(_errors(result.stderr)) == 1
    assert (tmp_path / "b.txt").read_text(encoding="utf-8") == "The parcel left.\n"
    assert _leftovers(tmp_path) == []
