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
