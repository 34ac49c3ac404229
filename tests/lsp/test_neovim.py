"""A second real LSP client: Debian's Neovim, headless, with its built-in LSP client.

`nvim/check_reply.lua` starts the server, reads the diagnostics with `vim.diagnostic.get()`,
reads the reply's score from the code lens Neovim shows, asks for the RL201 code actions,
applies the quick fix with Neovim's own edit code and waits for the server to re-publish.
It prints one line per fact; this test checks those lines.

Skipped when `nvim` is missing, unless REPLYLINT_REQUIRE_NVIM is set (CI sets it): then it fails.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import replylint

SCRIPT = Path(__file__).parent / "nvim" / "check_reply.lua"
REPLY = "Hi Sam,\n\nNo, you are wrong about the refund window.\nThanks for waiting.\n"
TIMEOUT = 90  # seconds; the script itself gives up after 20 s per wait


def _nvim() -> str:
    nvim = shutil.which("nvim")
    if nvim is None:
        if os.environ.get("REPLYLINT_REQUIRE_NVIM"):
            pytest.fail("REPLYLINT_REQUIRE_NVIM is set but `nvim` is not on PATH (apt-get install neovim)")
        pytest.skip("`nvim` is not installed (apt-get install neovim); set REPLYLINT_REQUIRE_NVIM to fail instead")
    return nvim


def _version(nvim: str) -> tuple[int, int]:
    first = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=30).stdout.splitlines()[0]
    match = re.match(r"NVIM v(\d+)\.(\d+)", first)
    assert match, f"unexpected `nvim --version` output: {first!r}"
    return int(match[1]), int(match[2])


def test_neovim_shows_diagnostics_and_applies_the_quick_fix(tmp_path: Path) -> None:
    nvim = _nvim()
    assert _version(nvim) >= (0, 7), "the script needs Neovim 0.7 or newer"
    (tmp_path / "reply.txt").write_text(REPLY, encoding="utf-8")
    home = tmp_path / "nvim-home"  # keep Neovim's log, shada and state out of the real home
    env = {**os.environ, "REPLYLINT_PYTHON": sys.executable, "HOME": str(home),
           **{var: str(home / var.lower()) for var in
              ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME")}}
    env.pop("REPLYLINT_LSP_CMD", None)
    proc = subprocess.run([nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n",
                           "-c", f"luafile {SCRIPT}", "reply.txt"],
                          cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT)
    lines = proc.stdout.splitlines()
    report = f"nvim exit {proc.returncode}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"

    assert proc.returncode == 0 and lines and lines[-1] == "PASS", report
    line = REPLY.splitlines()[2]
    col = line.index("you are wrong")
    diags = [ln.split(" ", 7)[1:] for ln in lines if ln.startswith("DIAG ")]
    rl201 = [d for d in diags if d[5] == "RL201"]
    assert len(rl201) == 1, report
    # 0-based line 2, the columns of "you are wrong", severity 1 (error), source replylint
    assert rl201[0][:5] == ["2", str(col), str(col + len("you are wrong")), "1", "replylint"], report
    titles = [ln.removeprefix("ACTION ") for ln in lines if ln.startswith("ACTION ")]
    assert any(t.startswith("Replace with") for t in titles), report
    assert any(t.startswith("Ignore this finding") for t in titles), report
    assert "Disable RL201 in this workspace" in titles, report
    [fixed] = [ln.removeprefix("LINE ") for ln in lines if ln.startswith("LINE ")]
    assert "you are wrong" not in fixed and fixed.endswith("about the refund window."), report
    [lens] = [ln.removeprefix("LENS ") for ln in lines if ln.startswith("LENS ")]
    [score] = replylint.score(REPLY)
    assert lens == f"0 replylint {score.summary()}", report  # on the reply's first line
    assert lens.startswith(f"0 replylint score {score.total}/100: acknowledge "), report
    after = [ln.split(" ", 7)[6] for ln in lines if ln.startswith("AFTER ")]
    assert "RL201" not in after, report
