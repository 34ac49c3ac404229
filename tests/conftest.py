"""Test-suite settings: quiet library warnings about rule files skipped in temporary folders,
a rule cache of the suite's own (inherited by every subprocess and every pytest-xdist worker),
and the tests that must share one xdist worker."""
from __future__ import annotations

import logging
import os
import tempfile

import pytest

logging.getLogger("replylint").setLevel(logging.ERROR)
os.environ.setdefault("REPLYLINT_CACHE_DIR", tempfile.mkdtemp(prefix="replylint-test-cache-"))


@pytest.fixture
def private_cache_home(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """A cache folder and signing key of the test's own (the rule cache, the language
    identifier's tables): replylint's folder inside it, caching on."""
    monkeypatch.setenv("REPLYLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("REPLYLINT_NO_RULE_CACHE", raising=False)
    return tmp_path / "cache" / "replylint"


# Tests that build or package lsp/vscode (npm ci, npm run package) work in the same folder:
# under `pytest -n auto --dist loadgroup` they run one after another on one worker.
ONE_WORKER_GROUPS = {
    "vscode": ("tests/test_vscode_extension.py", "tests/test_vscode_bundle.py", "tests/vscode/"),
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = config.rootpath
    for item in items:
        where = item.path.relative_to(root).as_posix() if item.path.is_relative_to(root) else ""
        for group, places in ONE_WORKER_GROUPS.items():
            if where.startswith(places):
                item.add_marker(pytest.mark.xdist_group(group))
