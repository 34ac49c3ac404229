"""Test-suite settings: quiet library warnings about rule files skipped in temporary folders."""
from __future__ import annotations

import logging

logging.getLogger("replylint").setLevel(logging.ERROR)
