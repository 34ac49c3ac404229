"""Put replylint, its language server and every dependency into `bundled/libs/` for the .vsix.

The convention of Microsoft's Python tool extensions (black, pylint, isort): the extension
ships its Python packages and runs them with the user's interpreter, so nobody has to
`pip install` anything. replylint depends on compiled wheels (spaCy, numpy, regex,
pyahocorasick), which are built for one platform and one CPython version: the bundle is made
for one VS Code target (`linux-x64`, `darwin-arm64`, ...) and one Python minor version, and
`bundled/libs/BUNDLE.json` records both so the extension can tell a user whose Python does
not fit.

    python3 scripts/bundle_python.py                      # this machine, this Python
    python3 scripts/bundle_python.py --target darwin-arm64 --python-version 3.12

Needs pip and the package index (or a local wheel cache); replylint itself is built from the
repository as a wheel (or `--wheel dist/replylint-*.whl`).
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXTENSION = Path(__file__).resolve().parents[1]
REPO = EXTENSION.parents[1]
LIBS = EXTENSION / "bundled" / "libs"
MANIFEST = "BUNDLE.json"

# VS Code target -> the wheel platform tags pip may take for it (oldest first).
PLATFORM_TAGS = {
    "linux-x64": ["manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_28_x86_64", "linux_x86_64"],
    "linux-arm64": ["manylinux2014_aarch64", "manylinux_2_17_aarch64", "manylinux_2_28_aarch64"],
    "darwin-x64": ["macosx_10_9_x86_64", "macosx_11_0_x86_64", "macosx_12_0_x86_64", "macosx_13_0_x86_64"],
    "darwin-arm64": ["macosx_11_0_arm64", "macosx_12_0_arm64", "macosx_13_0_arm64", "macosx_14_0_arm64"],
    "win32-x64": ["win_amd64"],
}
# What the server never imports: tests, bytecode caches, console scripts.
PRUNED_DIRS = {"tests", "__pycache__"}
PRUNED_TOP = {"bin"}


def this_target() -> str:
    """The VS Code target of the machine running this script."""
    system = {"Linux": "linux", "Darwin": "darwin", "Windows": "win32"}.get(platform.system(), "")
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(platform.machine().lower())
    target = f"{system}-{machine}"
    if target not in PLATFORM_TAGS:
        raise SystemExit(f"bundle_python.py: no wheel tags known for {platform.system()} {platform.machine()}; "
                         f"pass --target one of {', '.join(PLATFORM_TAGS)}")
    return target


def build_wheel(out: Path) -> Path:
    """replylint's wheel, built from the repository (hatchling from the environment when it has it)."""
    no_isolation = ["--no-build-isolation"] if _has_module("hatchling") else []
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", *no_isolation,
          "--wheel-dir", str(out), str(REPO)])
    wheels = sorted(out.glob("replylint-*.whl"))
    if not wheels:
        raise SystemExit(f"bundle_python.py: pip wheel made no replylint wheel in {out}")
    return wheels[-1]


def install(wheel: Path, target: str, python_version: str, libs: Path) -> None:
    """Install the wheel with the `lsp` extra and all dependencies as binary wheels for the target."""
    abi = "cp" + python_version.replace(".", "")
    platforms = [arg for tag in PLATFORM_TAGS[target] for arg in ("--platform", tag)]
    _run([sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--target", str(libs),
          "--only-binary=:all:", *platforms, "--python-version", python_version, "--implementation", "cp",
          "--abi", abi, "--abi", "abi3", "--abi", "none", f"replylint[lsp] @ {wheel.resolve().as_uri()}"])


def prune(libs: Path) -> None:
    for name in PRUNED_TOP:
        shutil.rmtree(libs / name, ignore_errors=True)
    for folder in sorted(libs.rglob("*"), reverse=True):
        if folder.is_dir() and folder.name in PRUNED_DIRS:
            shutil.rmtree(folder, ignore_errors=True)


def strip_debug_info(libs: Path, target: str) -> None:
    """Linux wheels of spaCy, thinc and blis ship their extension modules with debug info: a
    third of the bundle. `strip --strip-debug` drops it and keeps the symbols. Only extension
    modules that carry debug info are touched; the shared libraries auditwheel vendors into
    `<package>.libs/` are rewritten by patchelf and break when stripped."""
    strip = shutil.which("strip")
    if not target.startswith("linux-") or strip is None or not target.endswith(this_target().split("-")[1]):
        return  # another platform's binaries: left as the wheels have them
    modules = [str(p) for p in libs.rglob("*.so") if p.is_file() and not p.is_symlink()
               and not any(part.endswith(".libs") for part in p.relative_to(libs).parts)
               and b".debug_info" in p.read_bytes()]
    for start in range(0, len(modules), 200):
        subprocess.run([strip, "--strip-debug", *modules[start:start + 200]], check=False)


def self_test(libs: Path, target: str, python_version: str) -> None:
    """When the bundle is for this machine and Python, check that it loads and lints, with
    nothing but the bundle on the path (`-S`: no site-packages, `-E`: no PYTHONPATH; `-B`: no
    bytecode written into the bundle)."""
    if target != this_target() or python_version != "{}.{}".format(*sys.version_info[:2]):
        return
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import numpy, spacy, pygls, replylint, replylint_lsp; "
            "found = [f.rule for f in replylint.check('Hi Sam, you are wrong about the fee.', 'en')]; "
            "assert 'RL201' in found, found; assert replylint.__file__.startswith(sys.argv[1]), replylint.__file__")
    _run([sys.executable, "-S", "-E", "-B", "-c", code, str(libs)])


def installed_version(libs: Path) -> str:
    infos = sorted(libs.glob("replylint-*.dist-info"))
    return infos[0].name.removeprefix("replylint-").removesuffix(".dist-info") if infos else "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", choices=sorted(PLATFORM_TAGS), help="VS Code target (default: this machine)")
    parser.add_argument("--python-version", default=f"{sys.version_info.major}.{sys.version_info.minor}",
                        help="CPython minor version the compiled wheels are for (default: this Python's)")
    parser.add_argument("--wheel", type=Path, help="a built replylint wheel (default: build one from the repository)")
    args = parser.parse_args(argv)
    target = args.target or this_target()
    shutil.rmtree(LIBS, ignore_errors=True)
    LIBS.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="replylint-bundle-") as tmp:
        wheel = args.wheel or build_wheel(Path(tmp))
        install(wheel, target, args.python_version, LIBS)
    prune(LIBS)
    strip_debug_info(LIBS, target)
    self_test(LIBS, target, args.python_version)
    manifest = {"target": target, "python": args.python_version, "replylint": installed_version(LIBS)}
    (LIBS / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    print(f"bundled replylint {manifest['replylint']} for {target}, Python {args.python_version}, in {LIBS}")
    return 0


def _has_module(name: str) -> bool:
    from importlib.util import find_spec

    return find_spec(name) is not None


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True)
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"bundle_python.py: {' '.join(command[:5])} ... exited {exc.returncode}") from exc


if __name__ == "__main__":
    sys.exit(main())
