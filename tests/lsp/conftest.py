"""Fixtures: a replylint language server over stdio, driven by a pytest-lsp client."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_lsp
from pytest_lsp import LanguageClient

from .lspclient import SERVER


@pytest_lsp.fixture(config=SERVER)
async def lsp(lsp_client: LanguageClient) -> AsyncIterator[LanguageClient]:
    """A started server; each test initializes it with the capabilities it needs."""
    yield lsp_client
    await lsp_client.shutdown_session()
