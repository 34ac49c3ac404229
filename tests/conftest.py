"""Test-suite settings: quiet library warnings about rule files skipped in temporary folders,
and a rule cache of the suite's own (inherited by every subprocess the tests start)."""
from __future__ import annotations

import logging
import os
import tempfile

logging.getLogger("replylint").setLevel(logging.ERROR)
os.environ.setdefault("REPLYLINT_CACHE_DIR", tempfile.mkdtemp(prefix="replylint-test-cache-"))
