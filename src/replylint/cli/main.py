"""The `replylint` command line: check, baseline, fix, rules and lsp, all calling the engine."""
from __future__ import annotations

import argparse
import logging
import shlex
import sys
from collections.abc import Mapping
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import replylint
from replylint.engine.checking import known_selectors, rule_problems
from replylint.engine.config import FIELD_KEYS, Config, find_config_file, load_workspace_config, min_score
from replylint.engine.language import resolve_lang
from replylint.engine.model import Severity
from replylint.errors import ConfigError, InputError, ReplylintError, RuleFileError
from replylint.inputs.files import customer_message, exclude_spec
from replylint.inputs.formats import FORMATS

from .audit_command import add_parser as add_audit_parser
from .audit_command import cmd_audit
from .baseline import apply_baseline, read_baseline, write_baseline
from .cache import ResultCache
from .fileconfigs import FileConfigs
from .fixfiles import FixTally
from .report import FORMAT_NAMES, renderer
from .report.progress import progress_bar
from .report.statistics import print_statistics
from .report.terminal import printable
from .report.text_format import render as render_text
from .results import FileResult, RunResult
from .runner import Job, Settings, check_all, default_jobs, jobs_for, read_job, run_key

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

EPILOG = """exit codes:
  0  no finding at or above --fail-on (or --exit-zero)
  1  findings at or above --fail-on, a reply scoring below --min-score (or, with --strict-baseline,
     baselined findings fixed)
  2  usage, config, rule-file or input errors (the other files are still checked)

config: .replylint.toml or pyproject.toml [tool.replylint], found from each file's folder up (--config: one
        for every file); options win over it. See docs/configuration.md#which-config-applies.
docs:   docs/cli.md, docs/configuration.md, docs/rules/index.md"""


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE", help="config file (default: nearest .replylint.toml or pyproject.toml)")
    p.add_argument("--lang", help="language of the replies (default: config, else auto)")
    p.add_argument("--select", type=_csv, action="extend", metavar="RULES",
                   help="only these rules: codes, names or families, comma-separated")
    p.add_argument("--ignore", type=_csv, action="extend", metavar="RULES",
                   help="skip these rules: codes, names or families, comma-separated")


def _inputs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stdin-filename", metavar="PATH",
                   help="the file standard input stands for: picks its reader, config and reported path "
                        "(with no PATH given, reads standard input)")
    p.add_argument("--input-format", choices=["auto", *FORMATS], default="auto",
                   help="how to read inputs (default: by extension, then content)")
    p.add_argument("--exclude", action="append", metavar="GLOB",
                   help="leave out matching paths when recursing (.gitignore syntax; repeatable)")
    p.add_argument("--field", action="append", metavar="[KEY=]NAME",
                   help="bundle field holding the reply (KEY: body, id, title or lang; default body)")


def _jobs(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _min_score(value: str) -> int:
    try:
        return min_score(int(value), "--min-score", "min-score")
    except (ValueError, ConfigError) as exc:
        raise argparse.ArgumentTypeError("must be a whole number from 0 to 100") from exc


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("-j", "--jobs", type=_jobs, metavar="N",
                   help="worker processes (default: all cores for runs over 1 MB, else 1); the output does not "
                        "depend on it")
    p.add_argument("--cache-dir", metavar="DIR",
                   help="keep results keyed by file content, rules and config here; unchanged files are not rechecked")


def _fields(values: list[str] | None) -> dict[str, tuple[str, ...]] | None:
    if not values:
        return None
    fields: dict[str, list[str]] = {}
    for value in values:
        key, _, name = value.rpartition("=")
        key = key or "body"
        if key not in FIELD_KEYS or not name:
            raise ConfigError("--field", value, "expected KEY=NAME", "KEY one of " + ", ".join(sorted(FIELD_KEYS)))
        fields.setdefault(key, []).append(name)
    return {k: tuple(v) for k, v in fields.items()}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="replylint", description="Flag the phrasings in customer-service replies that lose customers.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-V", "--version", action="version", version=f"replylint {replylint.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_check_parser, _baseline_parser, _fix_parser, _rules_parser, _lsp_parser, add_audit_parser):
        add(sub)
    return parser


def _check_parser(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check", help="check replies and report findings", epilog=EPILOG,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="files, folders (recursing over .txt .md .html .json .yaml .csv …) or - for stdin")
    check.add_argument("--format", choices=FORMAT_NAMES, default="text",
                       help="output format: " + ", ".join(FORMAT_NAMES) + " (default: text; see docs/output.md)")
    check.add_argument("--fail-on", choices=[s.value for s in Severity],
                       help="lowest severity that makes the exit code 1 (default: warning)")
    check.add_argument("--min-score", type=_min_score, metavar="N",
                       help="exit 1 when a reply scores below N (0-100; default: config min-score, else 0; "
                            "see docs/coaching.md)")
    check.add_argument("--context", metavar="FILE",
                       help="the customer's message the replies answer (thread context; default: the quoted part "
                            "of each reply, or a ticket export's customer turns)")
    check.add_argument("--fix", action="store_true",
                       help="first apply the safe rewrites (those marked [*]) to the files, as `replylint fix` does, "
                            "then report what is left")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings are reported")
    check.add_argument("--show-suppressed", action="store_true",
                       help="also list findings suppressed by inline comments, replylint_ignore or the ignore file")
    check.add_argument("--baseline", metavar="FILE", help="report only findings not in this baseline")
    check.add_argument("--strict-baseline", action="store_true",
                       help="with --baseline: also fail when baselined findings were fixed (shrink the baseline)")
    check.add_argument("--statistics", action="store_true", help="print a count per rule instead of the findings")
    check.add_argument("-q", "--quiet", action="store_true", help="no summary line and no progress bar")
    _run_options(check)
    _common(check)
    _inputs(check)


def _baseline_parser(sub: argparse._SubParsersAction) -> None:
    baseline = sub.add_parser("baseline", help="write the current findings to a baseline file")
    baseline.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    baseline.add_argument("-o", "--output", metavar="FILE", default=".replylint-baseline.json",
                          help="baseline file to write (default: .replylint-baseline.json)")
    _run_options(baseline)
    _common(baseline)
    _inputs(baseline)


def _fix_parser(sub: argparse._SubParsersAction) -> None:
    fix = sub.add_parser("fix", help="apply safe rewrites to files in place")
    fix.add_argument("paths", nargs="*", metavar="PATH", help="files or folders, or - for stdin")
    fix.add_argument("--unsafe", action="store_true", help="also apply rewrites that change the meaning")
    fix.add_argument("--diff", action="store_true", help="show the changes as a diff instead of writing")
    _common(fix)
    _inputs(fix)


def _rules_parser(sub: argparse._SubParsersAction) -> None:
    rules = sub.add_parser("rules", help="list the rules, or explain one")
    rules.add_argument("--explain", metavar="RULE", help="show why, examples and rewrites for a code or name")
    rules.add_argument("--write-docs", metavar="DIR", help="regenerate the rule reference pages into DIR")
    rules.add_argument("--schema", action="store_true",
                       help="print the path of the JSON Schema for rule files (for editor completion)")
    rules.add_argument("--test", nargs="*", metavar="FOLDER",
                       help="run the rules' flagged/ok examples as tests: of these rule folders, else the config's "
                            "rule-folders, else the bundled packs (--lang: one pack); exit 1 if an example fails, "
                            "2 for rule-file errors")
    rules.add_argument("--lang", help="language whose rules to list or test (default: config, else en; "
                                      "with --test: every language)")
    rules.add_argument("--config", metavar="FILE", help="config file (for extra rule folders)")


def _lsp_parser(sub: argparse._SubParsersAction) -> None:
    lsp = sub.add_parser("lsp", help="start the language server on stdin/stdout (needs replylint[lsp])")
    lsp.add_argument("--stdio", action="store_true", help="accepted for editor clients; stdio is the only transport")


def _error(message: str) -> None:
    print(f"replylint: error: {printable(message)}", file=sys.stderr)


class _RuleProblems(logging.Filter):
    """Each rule-file problem printed once, as an error. The engine logs a rule it has to skip
    ("rule skipped"), for library users; the CLI reports the same problems itself, so it takes
    the log records that carry one (a RuleFileError argument) and prints each distinct one once."""

    def __init__(self) -> None:
        super().__init__()
        self.printed: set[str] = set()

    def report(self, problem: RuleFileError) -> None:
        text = str(problem)
        if text not in self.printed:
            self.printed.add(text)
            _error(text)

    def filter(self, record: logging.LogRecord) -> bool:
        problems = [a for a in record.args if isinstance(a, RuleFileError)] if isinstance(record.args, tuple) else []
        for problem in problems:
            self.report(problem)
        return not problems


_PROBLEMS = _RuleProblems()


def _config(args: argparse.Namespace) -> Config:
    """The run's config: `--config`, else the current folder's nearest, with the options laid over it."""
    config, _ = load_workspace_config(Path.cwd(), Path(args.config) if args.config else None)
    return _overlaid(args, config)


def _overlaid(args: argparse.Namespace, config: Config) -> Config:
    """`config` with the command line's options laid over it: they win over every config file."""
    changes = {"lang": args.lang, "select": tuple(args.select) if getattr(args, "select", None) else None,
               "ignore": tuple(args.ignore) if getattr(args, "ignore", None) else None,
               "exclude": (*config.exclude, *args.exclude) if getattr(args, "exclude", None) else None,
               "fields": _fields(getattr(args, "field", None))}
    if getattr(args, "fail_on", None):
        changes["fail_on"] = Severity(args.fail_on)
    if getattr(args, "min_score", None) is not None:
        changes["min_score"] = args.min_score
    return config.merged(**changes)


def _validate(config: Config, lang: str, from_cli: argparse.Namespace) -> int:
    """Report rule-file problems and unknown rule names; return the exit code they imply."""
    status = EXIT_CLEAN
    for problem in rule_problems(lang, config):
        _PROBLEMS.report(problem)
        status = EXIT_ERROR
    if not config.names_rules:
        return status
    known = known_selectors(lang, config)
    for key, values in (("select", config.select), ("ignore", config.ignore), ("severity", config.severity)):
        for value in values:
            if value.lower() not in known and value not in known:
                cli = getattr(from_cli, key, None)
                source = f"--{key}" if cli and value in cli else config.source
                raise ConfigError(source, key, f"unknown rule or family {value!r}",
                                  "a rule code, name or family from `replylint rules`")
    return status


def _settings(args: argparse.Namespace, config: Config) -> Settings:
    """Run settings; the language stays "auto" unless given, so each file's config (or else
    detection) decides it."""
    context = getattr(args, "context", None)
    return Settings(config, args.lang or "auto", getattr(args, "input_format", "auto"),
                    getattr(args, "show_suppressed", False), customer_message(context) if context else None)


class _Status:
    """The exit code rule-file problems imply, raised by configs met during the run."""

    def __init__(self, code: int = EXIT_CLEAN) -> None:
        self.code = code


def _file_configs(args: argparse.Namespace, status: _Status) -> FileConfigs | None:
    """Each file's own config (docs/configuration.md#which-config-applies); none with --config."""
    if args.config:
        return None

    def accept(config: Config) -> None:
        if _validate(config, resolve_lang(config.lang, config), args) == EXIT_ERROR:
            status.code = EXIT_ERROR

    return FileConfigs(find_config_file(Path.cwd()), lambda config: _overlaid(args, config), accept)


def _inputs_of(args: argparse.Namespace, config: Config, configs: FileConfigs | None) -> list[Job]:
    """The run's inputs, each with its own config; standard input named by --stdin-filename."""
    return list(jobs_for(args.paths, config, getattr(args, "stdin_filename", None), configs))


def _checked(args: argparse.Namespace, config: Config, quiet: bool,
             configs: FileConfigs | None = None) -> tuple[list[FileResult], list[str]]:
    """Check every input of the run; errors are printed as met (stderr) and returned too."""
    settings = _settings(args, config)
    exclude_spec(getattr(args, "exclude", None) or (), "--exclude")  # a bad one named as the option's
    jobs = _inputs_of(args, config, configs)
    cache = ResultCache(Path(args.cache_dir), run_key(settings)) if args.cache_dir else None
    results: list[FileResult] = []
    errors: list[str] = []
    with progress_bar(len(jobs), enabled=not quiet) as advance:
        for outcome in check_all(jobs, settings, args.jobs or default_jobs(jobs), cache, advance):
            if isinstance(outcome, InputError):
                _error(str(outcome))
                errors.append(str(outcome))
            elif outcome is not None:
                results.append(outcome)
    if not quiet:
        for result in results:
            for notice in result.notices:
                print(f"replylint: notice: {printable(f'{result.path}: {notice}')}", file=sys.stderr)
    return results, errors


class _RulesByCode(Mapping):
    """Rule metadata for the formats that show it (SARIF, rdjson): `lang`'s rules first, then
    other packs' for their own codes. Loaded on first use, so other formats never pay for it."""

    def __init__(self, lang: str, config: Config) -> None:
        self.lang, self.config = lang, config

    @cached_property
    def _rules(self) -> dict:
        from replylint.engine.ruleset import available_languages, load_rules

        rules: dict = {}
        for each in (self.lang, *available_languages(self.config.rule_folders)):
            for rule in load_rules(each, self.config.rule_folders).rules:
                rules.setdefault(rule.code, rule)
        return rules

    def __getitem__(self, code: str):
        return self._rules[code]

    def __iter__(self):
        return iter(self._rules)

    def __len__(self) -> int:
        return len(self._rules)


def cmd_check(args: argparse.Namespace) -> int:
    config = _config(args)
    lang = resolve_lang(config.lang, config)
    status = _Status(_validate(config, lang, args))
    if args.strict_baseline and not args.baseline:
        raise ConfigError("--strict-baseline", "baseline", "needs --baseline FILE")
    baseline = read_baseline(Path(args.baseline)) if args.baseline else None
    if args.fix:
        _fix_before_check(args, status)
    configs = _file_configs(args, status)
    results, errors = _checked(args, config, args.quiet, configs)
    fixed = 0
    if baseline is not None:
        outcome = apply_baseline(results, baseline)
        results, fixed = outcome.results, outcome.fixed
    ignored = config.ignored | (configs.ignored if configs else frozenset())
    run = RunResult(results, _RulesByCode(lang, config), errors, ignored)
    if args.statistics:
        print_statistics(run, sys.stdout)
    elif args.format == "text":
        render_text(run, sys.stdout, summary=not args.quiet, scores_below=config.min_score if args.quiet else None)
    else:
        renderer(args.format)(run, sys.stdout)
    if fixed and args.strict_baseline:
        command = shlex.join(["replylint", "baseline", *args.paths, "-o", args.baseline])
        _error(f"{args.baseline}: {fixed} baselined finding{'s are' if fixed != 1 else ' is'} fixed; "
               f"write a smaller baseline with `{command}`")
    if status.code == EXIT_ERROR or errors or _PROBLEMS.printed:  # printed: also a pack detected mid-run
        return EXIT_ERROR
    low = _below_floor(run, config.min_score)
    if args.exit_zero:
        return EXIT_CLEAN
    worst = max((Severity(f.severity).rank for r in results for f in r.findings), default=-1)
    failed = worst >= config.fail_on.rank or (args.strict_baseline and fixed > 0) or low
    return EXIT_FINDINGS if failed else EXIT_CLEAN


def _fix_before_check(args: argparse.Namespace, status: _Status) -> None:
    """`check --fix`: the safe rewrites written to the files first (never to standard input,
    whose fixed text would mix with the report: use `replylint fix -`)."""
    from replylint.inputs.files import STDIN

    if STDIN in args.paths:
        raise ConfigError("--fix", "paths", "cannot rewrite standard input", "`replylint fix -` prints the fixed text")
    fixing, tally = _fix_inputs(args)
    if fixing.code == EXIT_ERROR:
        status.code = EXIT_ERROR
    if not args.quiet:
        print(f"replylint: fixed {tally.changed} file{'s' if tally.changed != 1 else ''}", file=sys.stderr)


def _below_floor(run: RunResult, floor: int) -> bool:
    """Whether a reply scores below `floor`; if so, say how many and which is lowest (stderr)."""
    low = [(r, s) for r, s in run.scores() if s.total < floor]
    if not low:
        return False
    result, lowest = min(low, key=lambda pair: pair[1].total)
    where = f"{result.path}:{lowest.line}:{lowest.column}" + (f" (“{lowest.response}”)" if lowest.response else "")
    count = f"{len(low)} repl{'ies score' if len(low) != 1 else 'y scores'}"
    print(printable(f"replylint: {count} below the minimum score {floor}; lowest {lowest.total}/100 at {where}"),
          file=sys.stderr)
    return True


def cmd_baseline(args: argparse.Namespace) -> int:
    from replylint.safewrite import check_writable

    config = _config(args)
    lang = resolve_lang(config.lang, config)
    status = _Status(_validate(config, lang, args))
    check_writable(Path(args.output))  # before the run: a bad -o should not cost a whole check
    results, errors = _checked(args, config, quiet=False, configs=_file_configs(args, status))
    count = write_baseline(results, Path(args.output))
    print(f"wrote {count} finding{'s' if count != 1 else ''} from {len(results)} file"
          f"{'s' if len(results) != 1 else ''} to {args.output}", file=sys.stderr)
    return EXIT_ERROR if status.code == EXIT_ERROR or errors else EXIT_CLEAN


def cmd_fix(args: argparse.Namespace) -> int:
    """Fix files in place (atomically, never over an edit made meanwhile), or `-` to stdout;
    then say on stderr how many findings are left and how many `--unsafe` would rewrite."""
    status, tally = _fix_inputs(args)
    print(tally.summary(args.diff, args.unsafe), file=sys.stderr)
    if status.code == EXIT_ERROR:
        return EXIT_ERROR
    return EXIT_FINDINGS if args.diff and tally.changed else EXIT_CLEAN


def _fix_inputs(args: argparse.Namespace) -> tuple[_Status, FixTally]:
    """Fix every input of `args.paths`; a failed one is printed and makes the status 2."""
    from replylint.inputs.files import STDIN

    from .fixfiles import fix_file, fix_stdin

    config = _config(args)
    lang = resolve_lang(config.lang, config)
    status = _Status(_validate(config, lang, args))
    run_settings = _settings(args, config)
    tally = FixTally()
    unsafe, diff = getattr(args, "unsafe", False), getattr(args, "diff", False)
    for job in _inputs_of(args, config, _file_configs(args, status)):
        settings = replace(run_settings, config=job.config) if job.config else run_settings
        read_back = read_job(job, settings)
        if isinstance(read_back, InputError):
            _error(str(read_back))
            status.code = EXIT_ERROR
            continue
        if read_back is None:
            continue
        source, document = read_back
        try:
            if job.path == STDIN:
                fix_stdin(source.text, document.format, settings, unsafe, diff, tally, job.shown)
            else:
                fix_file(job.path, document.format, settings, unsafe, diff, tally)
        except ReplylintError as exc:
            _error(str(exc))
            status.code = EXIT_ERROR
        except Exception as exc:  # one file's failure must not cost the other files their fixes
            _error(f"{source.path}: cannot be fixed: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
            status.code = EXIT_ERROR
    return status, tally


def cmd_rules(args: argparse.Namespace) -> int:
    if args.schema:
        from replylint.engine.schema import RULE_SCHEMA

        print(RULE_SCHEMA)
        return EXIT_CLEAN
    from replylint.engine.ruledocs import render_rule, write_docs
    from replylint.engine.ruleset import every_rule, load_rules

    config = _config(args)
    if args.test is not None:
        return _test_rules(args, config)
    if args.write_docs:
        rules = every_rule()
        written = write_docs(rules, Path(args.write_docs))
        print(f"wrote {len(written)} pages to {args.write_docs}", file=sys.stderr)
        return EXIT_CLEAN
    lang = resolve_lang(config.lang, config)
    ruleset = load_rules(lang, config.rule_folders)
    for problem in ruleset.errors:
        _PROBLEMS.report(problem)
    if args.explain:
        rule = ruleset.by_key(args.explain)
        if rule is None:
            _error(f"no rule {args.explain!r} for language {lang!r}; see `replylint rules --lang {lang}`")
            return EXIT_ERROR
        _print_markdown(render_rule(rule))
        return EXIT_CLEAN
    _print_table(list(ruleset.rules))
    return EXIT_ERROR if ruleset.errors else EXIT_CLEAN


def _test_rules(args: argparse.Namespace, config: Config) -> int:
    """`rules --test`: each failing example on one line (`path:line: CODE: problem: "text"`), then a summary."""
    from .ruletests import rules_under, run_examples, run_list_examples

    folders = tuple(args.test) or tuple(config.rule_folders)
    rules, errors = rules_under(folders, args.lang)
    for problem in errors:
        _PROBLEMS.report(problem)
    report = run_examples(rules, folders, errors)
    run_list_examples(report, folders, args.lang)
    for problem in report.errors:
        _PROBLEMS.report(problem)
    for failure in report.failures:
        print(printable(str(failure)))
    if not rules and not report.errors:
        where = ", ".join(folders) or "the bundled rules"
        _error(f"no rule files{f' for language {args.lang!r}' if args.lang else ''} under {where} "
               "(laid out as <lang>/<family>/<name>.yaml)")
        return EXIT_ERROR
    print(report.summary())
    if report.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if report.failures else EXIT_CLEAN


def _print_markdown(text: str) -> None:
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(text))
    else:
        sys.stdout.write(text)


def _print_table(rules: list) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, box=None, pad_edge=False)
    for column in ("code", "name", "family", "severity", "fix", "what it flags"):
        table.add_column(column, overflow="fold")
    for r in sorted(rules, key=lambda r: (r.family.value, r.code)):
        fix = "safe" if any(w.safe for w in r.rewrites) else ("unsafe" if r.rewrites else "-")
        table.add_row(r.code, r.name, r.family.value, r.severity.value, fix, r.headline)
    Console(highlight=False, width=None if sys.stdout.isatty() else 160).print(table)


def cmd_lsp(args: argparse.Namespace) -> int:
    """Hand over to the language server package, which is installed with the `lsp` extra."""
    try:
        import pygls  # noqa: F401

        from replylint_lsp import main as serve
    except ImportError as exc:
        _error(f"the language server needs pygls ({exc.name} is not installed): pip install 'replylint[lsp]'")
        return EXIT_ERROR
    return serve([])


COMMANDS = {"check": cmd_check, "baseline": cmd_baseline, "fix": cmd_fix, "rules": cmd_rules, "lsp": cmd_lsp,
            "audit": cmd_audit}


def _default_paths(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """No PATH: standard input with --stdin-filename, else the current folder (`fix` needs one)."""
    if not hasattr(args, "paths") or args.paths:
        return
    if getattr(args, "stdin_filename", None):
        args.paths = ["-"]
    elif args.command == "fix":
        parser.error("fix: give the files or folders to fix (or - for stdin)")
    else:
        args.paths = ["."]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _default_paths(parser, args)
    engine_log = logging.getLogger("replylint")
    _PROBLEMS.printed.clear()
    engine_log.addFilter(_PROBLEMS)
    try:
        return COMMANDS[args.command](args)
    except ReplylintError as exc:
        _error(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    finally:
        engine_log.removeFilter(_PROBLEMS)


def run() -> None:
    """Console-script entry point; a closed pipe (`| head`) ends quietly."""
    try:
        code = main()
        if not sys.stdout.closed:  # the language server closes stdout when its client exits
            sys.stdout.flush()
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_FINDINGS
    sys.exit(code)
