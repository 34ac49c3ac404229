"""The pre-commit hook in .pre-commit-hooks.yaml, run by the real pre-commit from a real `git commit`.

pre-commit clones a hook repository at a revision and pip-installs it into a virtualenv of its
own, so the test copies the project as it is in the work tree (including an uncommitted hooks
file) into a throwaway git repository, commits it, and points `.pre-commit-config.yaml` at that
repository's path and commit. The install downloads spaCy and the other dependencies from the
package index the first time (about a minute with pip's cache warm); one PRE_COMMIT_HOME is
shared by the tests of this module so it happens once per test session.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What `pip install .` needs to build the project (see [tool.hatch.build] in pyproject.toml).
PROJECT_PARTS = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "rules", "lsp/server")
INSTALL_TIMEOUT = 600  # the first hook run creates the virtualenv and installs spaCy & co.
RUN_TIMEOUT = 180

RISKY = "No, we can't do that. It's our policy.\n"
CLEAN = "Thanks for your patience. I've refunded the fee today.\n"


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"`{name}` is needed for the pre-commit hook test but was not found on PATH "
                    f"nor beside {sys.executable}; install it (pre-commit: pip install -e '.[dev]')")
    return found


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = RUN_TIMEOUT,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        result = subprocess.run(args, cwd=cwd, env=env, text=True, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{' '.join(args)} took over {timeout} s in {cwd}:\n{exc.output}")
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(args)} exited {result.returncode} in {cwd}:\n{result.stdout}")
    return result


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for git and pre-commit: isolated from the user's git config and hooks."""
    home = tmp_path_factory.mktemp("precommit-env")
    (home / "gitconfig").write_text("", encoding="utf-8")
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("GIT_", "PRE_COMMIT")) and k not in {"SKIP", "VIRTUAL_ENV"}}
    clean.update({
        "PRE_COMMIT_HOME": str(home / "pre-commit-home"),  # shared by this module's tests
        "PRE_COMMIT_COLOR": "never",
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),  # no core.hooksPath, gpgsign… from the user
        "GIT_CONFIG_NOSYSTEM": "1",
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), clean.get("PATH", "")]),
    })
    return clean


def _git_init(path: Path, env: dict[str, str]) -> None:
    git = _tool("git")
    _run([git, "init", "-q", "-b", "main", str(path)], cwd=path.parent, env=env)
    _run([git, "config", "user.email", "tests@replylint.invalid"], cwd=path, env=env)
    _run([git, "config", "user.name", "replylint tests"], cwd=path, env=env)
    _run([git, "config", "commit.gpgsign", "false"], cwd=path, env=env)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[Path, str]:
    """A git repository holding the project as it is in the work tree, and its commit."""
    assert (ROOT / ".pre-commit-hooks.yaml").is_file(), "the hooks file is missing from the project root"
    repo = tmp_path_factory.mktemp("hook-repo") / "replylint"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "node_modules", ".pytest_cache")
    for part in PROJECT_PARTS:
        source, target = ROOT / part, repo / part
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    _git_init(repo, env)
    git = _tool("git")
    _run([git, "add", "-A"], cwd=repo, env=env)
    _run([git, "commit", "-q", "--no-verify", "-m", "replylint under test"], cwd=repo, env=env)
    sha = _run([git, "rev-parse", "HEAD"], cwd=repo, env=env).stdout.strip()
    return repo, sha


def _config(hook_repo: tuple[Path, str], **hook: object) -> str:
    path, sha = hook_repo
    return json.dumps({"repos": [{"repo": str(path), "rev": sha, "hooks": [{"id": "replylint", **hook}]}]},
                      indent=2) + "\n"  # JSON is YAML


@pytest.fixture(scope="module")
def hook_installed(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str],
                   hook_repo: tuple[Path, str]) -> None:
    """Build the hook's virtualenv once (the slow part) in the shared PRE_COMMIT_HOME."""
    scratch = tmp_path_factory.mktemp("install") / "repo"
    scratch.mkdir()
    _git_init(scratch, env)
    (scratch / ".pre-commit-config.yaml").write_text(_config(hook_repo), encoding="utf-8")
    _run([_tool("pre-commit"), "install-hooks"], cwd=scratch, env=env, timeout=INSTALL_TIMEOUT)


def _user_repo(path: Path, env: dict[str, str], config: str) -> Path:
    path.mkdir()
    _git_init(path, env)
    (path / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    _run([_tool("pre-commit"), "install"], cwd=path, env=env)
    return path


def _commit(repo: Path, env: dict[str, str], *files: str, message: str = "change") -> subprocess.CompletedProcess[str]:
    git = _tool("git")
    _run([git, "add", *files], cwd=repo, env=env)
    return _run([git, "commit", "-m", message], cwd=repo, env=env, check=False)


def _commits(repo: Path, env: dict[str, str]) -> int:
    result = _run([_tool("git"), "rev-list", "--count", "--all"], cwd=repo, env=env, check=False)
    return int(result.stdout.strip()) if result.returncode == 0 else 0


def test_a_risky_reply_blocks_the_commit_and_a_clean_one_goes_in(
        tmp_path: Path, env: dict[str, str], hook_repo: tuple[Path, str], hook_installed: None) -> None:
    repo = _user_repo(tmp_path / "support", env, _config(hook_repo))

    # The config itself is YAML but not a bundle of replies: excluded by the hook's default.
    first = _commit(repo, env, ".pre-commit-config.yaml", message="add pre-commit")
    assert first.returncode == 0, first.stdout
    assert "replylint" in first.stdout and "(no files to check)" in first.stdout, first.stdout

    (repo / "replies").mkdir()
    (repo / "replies" / "refund.txt").write_text(RISKY, encoding="utf-8")
    blocked = _commit(repo, env, "replies/refund.txt", message="refund reply")
    assert blocked.returncode != 0, f"the commit went through:\n{blocked.stdout}"
    assert "replylint" in blocked.stdout and "Failed" in blocked.stdout, blocked.stdout
    assert "replies/refund.txt:1:" in blocked.stdout, blocked.stdout
    assert "RL501" in blocked.stdout and "RL101" in blocked.stdout, blocked.stdout
    assert _commits(repo, env) == 1

    (repo / "replies" / "refund.txt").write_text(CLEAN, encoding="utf-8")
    passed = _commit(repo, env, "replies/refund.txt", message="refund reply")
    assert passed.returncode == 0, passed.stdout
    assert "replylint" in passed.stdout and "Passed" in passed.stdout, passed.stdout
    assert _commits(repo, env) == 2


def _macro(id_: int, title: str, body: str) -> dict[str, object]:
    return {"id": id_, "title": title, "actions": [{"field": "comment_value", "value": body}]}


def test_baseline_in_args_lets_an_existing_repo_adopt_the_hook(
        tmp_path: Path, env: dict[str, str], hook_repo: tuple[Path, str], hook_installed: None) -> None:
    """The docs/ci.md recipe: baseline the findings already there, block only new ones."""
    macros = [_macro(1, "Refund", "It's our policy, sorry."), _macro(2, "Thanks", "Thanks for writing in!")]
    repo = tmp_path / "helpdesk"
    repo.mkdir()
    _git_init(repo, env)
    (repo / "zendesk").mkdir()
    bundle = repo / "zendesk" / "macros.json"
    bundle.write_text(json.dumps({"macros": macros}, indent=2), encoding="utf-8")
    assert _commit(repo, env, "zendesk/macros.json", message="export").returncode == 0  # before the hook

    baseline = _run([sys.executable, "-m", "replylint", "baseline", "zendesk", "-o", ".replylint-baseline.json"],
                    cwd=repo, env=env)
    assert "wrote 1 finding" in baseline.stdout, baseline.stdout
    (repo / ".pre-commit-config.yaml").write_text(
        _config(hook_repo, files="^zendesk/",
                args=["--baseline", ".replylint-baseline.json"]), encoding="utf-8")
    _run([_tool("pre-commit"), "install"], cwd=repo, env=env)
    adopted = _commit(repo, env, ".pre-commit-config.yaml", ".replylint-baseline.json", message="adopt replylint")
    assert adopted.returncode == 0 and "(no files to check)" in adopted.stdout, adopted.stdout

    # The export is re-downloaded: responses move around and one new risky macro appears.
    macros = [_macro(3, "Dispute", "You're wrong about the fee."), *reversed(macros)]
    bundle.write_text(json.dumps({"macros": macros}, indent=2), encoding="utf-8")
    blocked = _commit(repo, env, "zendesk/macros.json", message="new export")
    assert blocked.returncode != 0, blocked.stdout
    assert "zendesk/macros.json:" in blocked.stdout and "RL201" in blocked.stdout, blocked.stdout
    assert "RL501" not in blocked.stdout, f"a baselined finding was reported:\n{blocked.stdout}"

    bundle.write_text(json.dumps({"macros": macros[1:]}, indent=1), encoding="utf-8")
    moved = _commit(repo, env, "zendesk/macros.json", message="reordered export")
    assert moved.returncode == 0 and "Passed" in moved.stdout, moved.stdout
