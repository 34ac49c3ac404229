"""The composite GitHub Action in action.yml, and the workflow snippets in docs/ci.md.

The structure is checked from the parsed file; the check and SARIF steps' scripts are run for
real with bash, the way a runner runs them (`bash --noprofile --norc -eo pipefail FILE`, with
the step's `env:` and GITHUB_OUTPUT / RUNNER_TEMP set). The setup-python and pip install steps
are not run: they need GitHub's runner and tool cache; `replylint` comes from this test's
virtual environment instead, handed to the scripts as the install step's `bin` output.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
CI_DOC = ROOT / "docs" / "ci.md"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
INPUTS = {"paths", "fail-on", "format", "baseline", "sarif-file", "args", "version", "python-version"}

RISKY = "You're wrong about the fee. No, we can't do that. It's our policy.\n"  # an error and warnings
CLEAN = "Thanks for your patience. I've refunded the fee today.\n"


def _load(path: Path) -> Any:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    return _load(ACTION)


def _step(action: dict[str, Any], step_id: str) -> dict[str, Any]:
    matches = [s for s in action["runs"]["steps"] if s.get("id") == step_id]
    assert len(matches) == 1, f"action.yml has {len(matches)} steps with id {step_id}"
    return matches[0]


def _references(value: object) -> list[str]:
    """Every ${{ … }} expression in a string, or in the strings of a mapping."""
    if isinstance(value, dict):
        return [e for v in value.values() for e in _references(v)]
    return EXPRESSION.findall(value) if isinstance(value, str) else []


def test_it_is_a_composite_action_with_the_documented_inputs_and_outputs(action: dict[str, Any]) -> None:
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == INPUTS
    defaults = {name: spec.get("default") for name, spec in action["inputs"].items()}
    assert defaults == {"paths": ".", "fail-on": "warning", "format": "github", "baseline": "", "sarif-file": "",
                        "args": "", "version": "", "python-version": "3.11"}
    assert all(spec.get("description") and spec.get("required") is False for spec in action["inputs"].values())
    assert action["outputs"]["exit-code"]["value"] == "${{ steps.check.outputs.exit-code }}"
    assert 'echo "exit-code=$status" >> "$GITHUB_OUTPUT"' in _step(action, "check")["run"]
    setup = _step(action, "python")
    assert setup["uses"] == "actions/setup-python@v5"
    assert setup["with"]["update-environment"] is False  # leave the job's own Python alone
    assert _step(action, "install")["env"]["PYTHON"] == "${{ steps.python.outputs.python-path }}"


def test_run_scripts_take_inputs_only_through_env(action: dict[str, Any]) -> None:
    """No ${{ }} inside a script (script injection); every input reaches some step."""
    used: set[str] = set()
    for step in action["runs"]["steps"]:
        where = {k: step.get(k) for k in ("env", "with", "if")}
        used |= {m.group(1) for e in _references(where) for m in re.finditer(r"inputs\.([\w-]+)", e)}
        if "run" not in step:
            continue
        assert step.get("shell") == "bash", f"step {step.get('id')} needs an explicit shell"
        assert "${{" not in step["run"], f"step {step.get('id')} pastes an expression into its script"
        for name in step.get("env", {}):
            assert f"${name}" in step["run"], f"step {step.get('id')} sets {name} but its script never reads it"
        check = subprocess.run(["bash", "-n"], input=step["run"], text=True, capture_output=True)
        assert check.returncode == 0, f"step {step.get('id')}: {check.stderr}"
    assert used == INPUTS, f"inputs never used: {INPUTS - used}; unknown: {used - INPUTS}"
    for expression in _references(ACTION.read_text(encoding="utf-8")):
        for name in re.findall(r"inputs\.([\w-]+)", expression):
            assert name in INPUTS, f"action.yml refers to an undeclared input {name}"


def _run_step(action: dict[str, Any], step_id: str, cwd: Path, **inputs: str) -> tuple[int, str, dict[str, str]]:
    """Run one step's script as a GitHub runner would; return exit code, stdout+stderr and outputs."""
    given = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    given.update({name.replace("_", "-"): value for name, value in inputs.items()})
    known = {f"inputs.{k}": v for k, v in given.items()}
    known["steps.install.outputs.bin"] = str(Path(sys.executable).parent)  # stands for the install step

    def evaluate(match: re.Match[str]) -> str:
        assert match.group(1) in known, f"the test does not know the expression {match.group(0)}"
        return known[match.group(1)]

    step = _step(action, step_id)
    runner_temp = cwd.parent / f"runner-temp-{cwd.name}"
    runner_temp.mkdir(exist_ok=True)
    output_file = runner_temp / f"output-{step_id}"
    output_file.write_text("", encoding="utf-8")
    script = runner_temp / f"{step_id}.sh"
    script.write_text(step["run"], encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
    env.update({name: EXPRESSION.sub(evaluate, str(value)) for name, value in step.get("env", {}).items()})
    env.update({"GITHUB_OUTPUT": str(output_file), "RUNNER_TEMP": str(runner_temp), "CI": "true"})
    bash = shutil.which("bash")
    assert bash, "bash is needed to run the action's scripts"
    result = subprocess.run([bash, "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd, env=env,
                            text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
    outputs = dict(line.split("=", 1) for line in output_file.read_text(encoding="utf-8").splitlines() if line)
    return result.returncode, result.stdout, outputs


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A checked-out repository: one risky and one clean reply."""
    repo = tmp_path / "repo"
    (repo / "replies").mkdir(parents=True)
    (repo / "replies" / "refund.txt").write_text(RISKY, encoding="utf-8")
    (repo / "replies" / "thanks.txt").write_text(CLEAN, encoding="utf-8")
    return repo


def test_check_step_annotates_a_risky_reply_and_fails(action: dict[str, Any], workspace: Path) -> None:
    code, out, outputs = _run_step(action, "check", workspace, paths="replies")
    assert code == 1 and outputs == {"exit-code": "1"}, out
    assert "::error file=replies/refund.txt,line=1,col=1," in out and "title=RL201 declared-wrong::" in out, out
    assert "::warning file=replies/refund.txt,line=1," in out, out
    assert "thanks.txt" not in out


def test_check_step_passes_a_clean_reply(action: dict[str, Any], workspace: Path) -> None:
    code, out, outputs = _run_step(action, "check", workspace, paths="replies/thanks.txt")
    assert (code, outputs) == (0, {"exit-code": "0"}), out
    assert "::" not in out, out


def test_fail_on_args_and_several_paths(action: dict[str, Any], workspace: Path) -> None:
    (workspace / "macros").mkdir()
    (workspace / "macros" / "policy.md").write_text("Sorry, it's our policy.\n", encoding="utf-8")
    (workspace / "replies" / "refund.txt").write_text("No, we can't do that.\n", encoding="utf-8")  # warnings only
    code, out, outputs = _run_step(action, "check", workspace, paths="replies/refund.txt\n  macros\n",
                                   fail_on="error", args="--ignore RL101 --format concise")
    assert (code, outputs) == (0, {"exit-code": "0"}), out  # warnings are reported but do not fail
    assert "replies/refund.txt:1:5: RL401" in out and "macros/policy.md:1:8: RL501" in out, out
    assert "RL101" not in out, out


def test_baseline_with_a_space_in_its_name_and_sarif_after_a_failure(action: dict[str, Any], workspace: Path) -> None:
    written = subprocess.run([sys.executable, "-m", "replylint", "baseline", "replies", "-o", "base line.json"],
                             cwd=workspace, text=True, capture_output=True, timeout=300)
    assert written.returncode == 0, written.stderr
    (workspace / "replies" / "new.txt").write_text("Calm down, please.\n", encoding="utf-8")
    code, out, outputs = _run_step(action, "check", workspace, paths="replies", baseline="base line.json")
    assert code == 1 and outputs == {"exit-code": "1"}, out
    assert "file=replies/new.txt" in out and "refund.txt" not in out, out

    sarif_step = _step(action, "sarif")
    assert "!cancelled()" in sarif_step["if"] and "inputs.sarif-file != ''" in sarif_step["if"]
    code, out, _ = _run_step(action, "sarif", workspace, paths="replies", baseline="base line.json",
                             sarif_file="reports/replylint.sarif")
    assert code == 0, out
    sarif = json.loads((workspace / "reports" / "replylint.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    located = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert located == {"replies/new.txt"}


def test_inputs_cannot_inject_shell(action: dict[str, Any], workspace: Path) -> None:
    hostile = {"paths": "replies/thanks.txt $(touch pwned1) `touch pwned2`; touch pwned3 ${IFS}",
               "baseline": 'x"; touch pwned4; "', "args": "--exclude=$(touch${IFS}pwned5)"}
    code, out, outputs = _run_step(action, "check", workspace, **hostile)
    assert code == 2 and outputs == {"exit-code": "2"}, out  # paths and baseline that do not exist
    assert "x\"; touch pwned4; \"" in out, out  # the baseline reached replylint as one argument
    code, out, _ = _run_step(action, "check", workspace, paths="replies/thanks.txt", format="github;touch pwned6")
    assert code == 2 and "invalid choice" in out, out
    assert not list(workspace.glob("pwned*")) and not list(workspace.parent.glob("pwned*")), out


# docs/ci.md ---------------------------------------------------------------------------------

def _yaml_blocks() -> list[tuple[int, str]]:
    text = CI_DOC.read_text(encoding="utf-8")
    return [(text[:m.start()].count("\n") + 1, m.group(1))
            for m in re.finditer(r"^```yaml\n(.*?)^```", text, flags=re.S | re.M)]


def test_every_yaml_snippet_in_ci_doc_parses_and_uses_real_inputs_and_hooks() -> None:
    blocks = _yaml_blocks()
    assert len(blocks) >= 8
    hook_ids = {hook["id"] for hook in _load(ROOT / ".pre-commit-hooks.yaml")}
    uses_action = precommit = 0
    for line, block in blocks:
        try:
            data = YAML(typ="safe", pure=True).load(block)
        except Exception as exc:  # a snippet that is a list of steps is still YAML
            pytest.fail(f"docs/ci.md:{line}: the yaml block does not parse: {exc}")
        assert data, f"docs/ci.md:{line}: empty yaml block"
        for step in _walk(data):
            if str(step.get("uses", "")).startswith("replylint/replylint@"):
                uses_action += 1
                unknown = set(step.get("with", {})) - INPUTS
                assert not unknown, f"docs/ci.md:{line}: the action has no input {unknown}"
            if "run" in step:
                assert "${{ inputs." not in str(step["run"]), f"docs/ci.md:{line}: expression in a script"
        if isinstance(data, dict) and "repos" in data:
            precommit += 1
            for repo in data["repos"]:
                assert {h["id"] for h in repo["hooks"]} <= hook_ids, f"docs/ci.md:{line}: unknown hook"
    assert uses_action >= 4 and precommit >= 2


def _walk(data: object) -> list[dict[str, Any]]:
    """Every mapping in a parsed YAML document."""
    if isinstance(data, dict):
        return [data, *(m for v in data.values() for m in _walk(v))]
    if isinstance(data, list):
        return [m for v in data for m in _walk(v)]
    return []
