"""Every shell command and Python snippet in the README and docs/ runs, or says why it cannot.

A fenced block in `sh` runs one command at a time (with bash; a plain `replylint …` in this
process, where the rules are loaded once) in a sandbox folder holding the files the docs name
(`replies/`, `reply.txt`, `macros.json`, …): each command must exit 0, or 1 when it is
`replylint` (findings, which most examples have on purpose), and print no traceback. The
`python` blocks of a page run in this process, in order, in one namespace, in the same
sandbox; a line ending in `# -> LITERAL` (`# -> []`, `# -> "json"`) is compared with that
value. A `text` block marked with the command whose output it shows, and a terminal session
(`$ command` lines, each followed by what it prints), are compared with the real output: `…`
stands for anything, and the shown lines must appear in the output in that order, one after
the other.

Markers are HTML comments on the line right above the fence, invisible on GitHub and on the
site:

    <!-- doc-test: not run: REASON -->        a command or snippet that cannot run here
    <!-- doc-test: output of: COMMAND -->     the text block is the output of COMMAND
    <!-- doc-test: exit N -->                 every command of the block exits N
    <!-- doc-test: file: PATH -->             the block is a file the other examples use

Every fence names its language, so no command hides in an unlabelled block.
"""
from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from replylint.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "lsp" / "vscode" / "README.md"]
GENERATED = {ROOT / "docs" / "cli-reference.md"}  # made from --help: tests/test_docs_site.py
SHELL = {"sh", "bash", "shell", "console"}
PYTHON = {"python", "py"}
MARKER = re.compile(r"^\s*<!--\s*doc-test:\s*(.*?)\s*-->\s*$")
RESULT = re.compile(r"#\s*->\s*(.+?)\s*$")
COLUMNS = 80  # the terminal width the shown output was made for (the text format wraps `why` to it)
RUNS_REPLYLINT = re.compile(r"(?:^|[|&;]\s*|COLUMNS=\d+\s+)replylint\s")  # a command or pipeline running replylint
RISKY_REPLY = """Hi Sam,

No, you're wrong about the late fee.

Best,
Ana
"""
CUSTOMER = "Why was I charged a late fee? I paid on time and I'm really annoyed.\n"


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    marker: str

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def _blocks(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type != "fence" or token.map is None:
            continue
        above = lines[token.map[0] - 1] if token.map[0] > 0 else ""
        marker = MARKER.match(above)
        found.append(Block(page, token.map[0] + 1, token.info.split()[0] if token.info else "", token.content,
                           marker.group(1) if marker else ""))
    return found


BLOCKS = [block for page in PAGES if page not in GENERATED for block in _blocks(page)]


def _not_run(block: Block) -> bool:
    return block.marker.startswith("not run")


def _ids(blocks: list[Block]) -> list[str]:
    return [block.where for block in blocks]


def test_every_fence_names_its_language_and_every_marker_is_known() -> None:
    assert len(BLOCKS) > 80
    for block in BLOCKS:
        assert block.lang, f"{block.where}: a fence without a language (sh, python, text, yaml, …)"
        if block.marker:
            assert re.fullmatch(r"not run: \S.{8,}|output of: \S.*|exit \d|file: [\w./-]+", block.marker), \
                f"{block.where}: unknown doc-test marker {block.marker!r} (a `not run:` needs a reason)"
        if block.marker.startswith("output of"):
            assert block.lang == "text", f"{block.where}: `output of` marks a text block"


# The sandbox: the files the examples name -----------------------------------------------------

@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("doc-sandbox")
    replies = folder / "replies"
    replies.mkdir()
    for example in (ROOT / "examples").glob("*.*"):
        shutil.copy(example, replies / example.name)
    (replies / "fee.txt").write_text(RISKY_REPLY, encoding="utf-8")
    shutil.copytree(ROOT / "examples", folder / "examples")
    shutil.copy(ROOT / "examples" / "bundles" / "zendesk-macros.json", folder / "macros.json")
    (folder / "reply.txt").write_text(RISKY_REPLY, encoding="utf-8")
    (folder / "customer.txt").write_text(CUSTOMER, encoding="utf-8")
    (folder / ".replylint.toml").write_text("# replylint's config for these replies\n", encoding="utf-8")
    shutil.copytree(ROOT / "tests" / "fixtures", folder / "tests" / "fixtures")
    git = shutil.which("git")
    if git:
        subprocess.run([git, "init", "-q", str(folder)], check=True)
    return folder


def _sandbox(template: Path, tmp_path: Path, page: Path) -> Path:
    """A fresh copy of the template, with the files the page itself shows (`file:` markers)."""
    folder = tmp_path / "work"
    shutil.copytree(template, folder, symlinks=True)
    for block in BLOCKS:
        if block.page == page and block.marker.startswith("file:"):
            target = folder / block.marker.split(":", 1)[1].strip()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.code, encoding="utf-8")
    return folder


def _environment() -> dict[str, str]:
    bin_folder = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bin_folder + os.pathsep + os.environ.get("PATH", ""), "NO_COLOR": "1",
            "COLUMNS": str(COLUMNS), "GIT_AUTHOR_NAME": "docs", "GIT_AUTHOR_EMAIL": "docs@example.com",
            "GIT_COMMITTER_NAME": "docs", "GIT_COMMITTER_EMAIL": "docs@example.com"}


def _commands(code: str) -> list[str]:
    """The block's commands: one a line, a trailing backslash continuing it, comment lines left out."""
    commands, current = [], ""
    for line in code.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        commands.append(current)
        current = ""
    return commands


def _replylint_arguments(command: str) -> list[str] | None:
    """The arguments of a plain `replylint …` command (no pipe, redirection or `&&`), else None."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    if any(set(token) <= set(lexer.punctuation_chars) for token in lexer):
        return None
    words = shlex.split(command, comments=True)
    while words and re.fullmatch(r"COLUMNS=\d+", words[0]):
        words = words[1:]
    return words[1:] if words and words[0] == "replylint" else None


def _columns(command: str) -> int:
    """The terminal width a command is shown with: its `COLUMNS=N` prefix, else COLUMNS."""
    found = re.match(r"\s*COLUMNS=(\d+)\s", command)
    return int(found.group(1)) if found else COLUMNS


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Runs the command as bash would; a plain `replylint …` runs in this process (the rules are
    loaded once for all the examples instead of once per command), with the same arguments."""
    arguments = _replylint_arguments(command)
    if arguments is None:
        return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=_environment(),
                              capture_output=True, text=True, encoding="utf-8", timeout=300)
    out, err = io.StringIO(), io.StringIO()
    before, columns = Path.cwd(), os.environ.get("COLUMNS")
    os.chdir(cwd)
    os.environ["COLUMNS"] = str(_columns(command))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(arguments)
            except SystemExit as stop:  # argparse's usage errors and --version
                code = stop.code if isinstance(stop.code, int) else 2
    finally:
        os.chdir(before)
        if columns is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = columns
    return subprocess.CompletedProcess(["replylint", *arguments], code, out.getvalue(), err.getvalue())


# Shell blocks ---------------------------------------------------------------------------------

SHELL_BLOCKS = [b for b in BLOCKS if b.lang in SHELL and not _not_run(b)]


@pytest.mark.parametrize("block", SHELL_BLOCKS, ids=_ids(SHELL_BLOCKS))
def test_shell_block_runs(block: Block, template: Path, tmp_path: Path) -> None:
    sandbox = _sandbox(template, tmp_path, block.page)
    for command in _commands(block.code):
        if block.marker.startswith("exit"):
            expected = {int(block.marker.split()[1])}
        else:  # 1 means findings from replylint; from anything else it is a failure
            expected = {0, 1} if RUNS_REPLYLINT.search(command) else {0}
        result = _shell(command, sandbox)
        shown = f"{block.where}: `{command}` exited {result.returncode}\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        assert result.returncode in expected, shown
        assert "Traceback" not in result.stderr, shown


# Python blocks --------------------------------------------------------------------------------

PYTHON_BLOCKS = [b for b in BLOCKS if b.lang in PYTHON and not _not_run(b)]
PYTHON_PAGES = sorted({b.page for b in PYTHON_BLOCKS})


def _with_checks(code: str) -> str:
    """The snippet with each `# -> LITERAL` line turned into a comparison."""
    lines = code.splitlines()
    tree = ast.parse(code)
    for statement in reversed(tree.body):
        shown = RESULT.search(lines[statement.end_lineno - 1]) if statement.end_lineno else None
        if not shown:
            continue
        try:
            ast.literal_eval(shown.group(1))
        except (ValueError, SyntaxError):
            continue  # a type or a description, not a value
        if isinstance(statement, ast.Expr):
            value = ast.get_source_segment(code, statement.value)
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            value = ast.get_source_segment(code, statement.targets[0])
        else:
            continue
        check = f"assert ({value}) == {shown.group(1)}, repr({value})"
        lines.insert(statement.end_lineno, " " * statement.col_offset + check)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=[str(p.relative_to(ROOT)) for p in PYTHON_PAGES])
def test_python_blocks_run(page: Path, template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's snippets run in order in one namespace, as a reader goes down the page."""
    monkeypatch.chdir(_sandbox(template, tmp_path, page))
    namespace: dict[str, object] = {"__name__": "__doc_example__"}
    for block in (b for b in PYTHON_BLOCKS if b.page == page):
        code = compile(_with_checks(block.code), block.where, "exec")
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code, namespace)  # the docs' own snippets


# Shown output ---------------------------------------------------------------------------------

OUTPUT_BLOCKS = [b for b in BLOCKS if b.marker.startswith("output of")]
TRANSCRIPTS = [b for b in BLOCKS if b.lang not in SHELL and not _not_run(b)
               and any(line.startswith("$ ") for line in b.code.splitlines())]


def _matches(shown: list[str], actual: list[str]) -> bool:
    """Whether the shown lines are in the output, one after the other: `…` in a line stands for
    any text, a line that is only `…` for any number of lines."""
    while shown and not shown[-1].strip():
        shown = shown[:-1]
    while shown and not shown[0].strip():
        shown = shown[1:]
    pattern = "".join(r"(?:[^\n]*\n)*?" if line.strip() == "…" else
                      "[^\n]*".join(re.escape(part) for part in line.rstrip().split("…")) + r"\n"
                      for line in shown)
    return re.search("^" + pattern, "".join(line.rstrip() + "\n" for line in actual), flags=re.M) is not None


def _assert_prints(block: Block, command: str, shown: list[str], sandbox: Path) -> None:
    result = _shell(command, sandbox)
    expected = {0, 1} if RUNS_REPLYLINT.search(command) else {0}
    assert result.returncode in expected, f"{block.where}: `{command}` exited {result.returncode}: {result.stderr}"
    actual = (result.stdout + result.stderr).splitlines()
    assert not shown or _matches(shown, actual), (
        f"{block.where}: the block is not what `{command}` prints; it prints:\n" + "\n".join(actual[:60]))


@pytest.mark.parametrize("block", OUTPUT_BLOCKS, ids=_ids(OUTPUT_BLOCKS))
def test_shown_output_is_the_real_output(block: Block, template: Path, tmp_path: Path) -> None:
    command = block.marker.split(":", 1)[1].strip().strip("`")
    _assert_prints(block, command, block.code.splitlines(), _sandbox(template, tmp_path, block.page))


def _transcript(code: str) -> list[tuple[str, list[str]]]:
    """A terminal session's commands (`$ ` lines), each with the lines shown after it."""
    steps: list[tuple[str, list[str]]] = []
    for line in code.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


@pytest.mark.parametrize("block", TRANSCRIPTS, ids=_ids(TRANSCRIPTS))
def test_a_terminal_session_prints_what_it_shows(block: Block, template: Path, tmp_path: Path) -> None:
    sandbox = _sandbox(template, tmp_path, block.page)
    for command, shown in _transcript(block.code):
        _assert_prints(block, command, shown, sandbox)


# Config examples --------------------------------------------------------------------------------

CONFIGS = [b for b in BLOCKS if b.lang == "toml" and "[tool.replylint]" in b.code and not _not_run(b)]
TEAM_RULES = ROOT / "docs" / "rule-format.md"  # shows the team rule that configs' rule-folders name


@pytest.mark.parametrize("block", CONFIGS, ids=_ids(CONFIGS))
def test_config_example_is_accepted(block: Block, template: Path, tmp_path: Path) -> None:
    """Every key, rule, name and family in a config example is one replylint knows."""
    sandbox = _sandbox(template, tmp_path, TEAM_RULES)
    (sandbox / "pyproject.toml").write_text(block.code, encoding="utf-8")
    result = _shell("replylint check --config pyproject.toml reply.txt", sandbox)
    assert result.returncode in (0, 1), f"{block.where}: the config is refused: {result.stderr}"


def test_the_vscode_severity_setting_example_names_real_rules(template: Path, tmp_path: Path) -> None:
    """The example in the setting's description (once a family that does not exist) is accepted."""
    manifest = json.loads((ROOT / "lsp" / "vscode" / "package.json").read_text(encoding="utf-8"))
    description = manifest["contributes"]["configuration"]["properties"]["replylint.severity"]["markdownDescription"]
    example = json.loads(re.search(r"`(\{.*?\})`", description).group(1))
    assert example
    sandbox = _sandbox(template, tmp_path, TEAM_RULES)
    pairs = ", ".join(f'"{key}" = "{value}"' for key, value in example.items())
    (sandbox / "pyproject.toml").write_text(f"[tool.replylint]\nseverity = {{ {pairs} }}\n", encoding="utf-8")
    result = _shell("replylint check --config pyproject.toml reply.txt", sandbox)
    assert result.returncode in (0, 1), f"lsp/vscode/package.json: replylint.severity example: {result.stderr}"


# The harness itself ---------------------------------------------------------------------------

def test_a_shown_result_is_compared_and_a_type_is_not() -> None:
    code = 'x = 1 + 1  # -> 3\nlen("ab")  # -> 2\ny = [x]  # -> list[int]\n'
    checked = _with_checks(code)
    assert "assert (x) == 3" in checked and 'assert (len("ab")) == 2' in checked
    assert "assert (y)" not in checked  # list[int] is a type, not a value
    with pytest.raises(AssertionError):
        exec(compile(checked, "example", "exec"), {})


def test_shown_output_matches_in_order_with_ellipses() -> None:
    actual = ["a.txt:1:1: warning RL101 flat-no (blunt-no) A flat “No,” opens …", "   |", " 1 | No, thanks."]
    assert _matches(["a.txt:1:1: warning RL101 flat-no …", "   |"], actual)
    assert not _matches(["   |", "a.txt:1:1: warning RL101 flat-no …"], actual)
    assert not _matches(["a.txt:1:1: error RL101 …"], actual)
    assert _matches(["a.txt:1:1: warning …", "   …", " 1 | No, thanks."], actual)
    assert _matches(["a.txt:1:1: warning …", "…", "   |", "…"], actual)
    assert not _matches([" 1 | No, thanks.", "…", "   |"], actual)
