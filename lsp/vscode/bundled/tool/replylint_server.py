"""Start the replylint language server with the packages bundled in the extension.

The extension runs `python replylint_server.py --stdio` with the user's interpreter. Where
`bundled/libs` goes on `sys.path` is the `replylint.importStrategy` setting, passed as
REPLYLINT_IMPORT_STRATEGY (the convention of Microsoft's Python tool extensions):

- `useBundled` (default): first, so the bundled replylint is used even when the
  environment has another one;
- `fromEnvironment`: last, so a replylint installed in the interpreter's environment wins and
  the bundled one is only the fallback.

`--probe` prints, as JSON, which replylint would run and from where, and exits: the extension
asks before it starts the server, to explain a Python that does not fit the bundle.
Standard library only: nothing may be imported before the path is set.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

LIBS = Path(__file__).resolve().parents[1] / "libs"
STRATEGIES = ("useBundled", "fromEnvironment")


def bundle() -> dict[str, str]:
    """What `bundled/libs/BUNDLE.json` says the bundle was built for; {} when there is none."""
    try:
        return json.loads((LIBS / "BUNDLE.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def set_path(strategy: str) -> None:
    libs = str(LIBS)
    if strategy == "fromEnvironment":
        sys.path.append(libs)
    else:
        sys.path.insert(0, libs)


def probe(strategy: str) -> dict[str, object]:
    """Which replylint and pygls this interpreter imports with the strategy, or why it cannot."""
    info: dict[str, object] = {"python": sys.executable, "version": "{}.{}".format(*sys.version_info[:2]),
                               "strategy": strategy, "bundle": bundle()}
    try:
        import pygls  # noqa: F401

        import replylint
        import replylint_lsp  # noqa: F401
    except Exception as exc:  # a wheel built for another Python fails here with ImportError or worse
        info["error"] = f"{type(exc).__name__}: {exc}"
        return info
    info["replylint"] = replylint.__version__
    info["location"] = str(Path(replylint.__file__).resolve().parent)
    info["bundled"] = Path(replylint.__file__).resolve().is_relative_to(LIBS)
    return info


def main(argv: list[str]) -> int:
    strategy = os.environ.get("REPLYLINT_IMPORT_STRATEGY", "useBundled")
    if strategy not in STRATEGIES:
        strategy = "useBundled"
    set_path(strategy)
    if "--probe" in argv:
        print(json.dumps(probe(strategy)))
        return 0
    from replylint_lsp import main as serve

    return serve(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
