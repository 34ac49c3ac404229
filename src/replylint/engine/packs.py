"""Where rule packs live on disk and which of their files may be read: the leaf that rule,
list and pack loading all start from."""
from __future__ import annotations

import stat
from functools import lru_cache
from pathlib import Path

MAX_RULE_BYTES = 1_000_000  # a rule file is a few KB; a bigger one is a mistake or an attack


@lru_cache(maxsize=1)
def bundled_rules_dir() -> Path:
    """The rule data shipped with replylint: inside the wheel, or `rules/` in a source checkout
    (looked up once: every check asks, and resolving the path costs a few stats)."""
    packaged = Path(__file__).parents[1] / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def unusable(path: Path) -> str | None:
    """Why a rule file must not be read (a FIFO, a device, too large), or None."""
    try:
        info = path.stat()
    except (OSError, ValueError) as exc:
        return f"cannot be read: {getattr(exc, 'strerror', None) or exc}"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size > MAX_RULE_BYTES:
        return f"is larger than {MAX_RULE_BYTES:,} bytes"
    return None
