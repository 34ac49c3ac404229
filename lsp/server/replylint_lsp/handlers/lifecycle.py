"""initialize, initialized and shutdown: settings from the client, the diagnostic mode, and
starting and stopping the checker process."""
from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from ..server import ReplylintServer
from ..settings import parse_settings
from .configuration import pull_configuration, register_watchers


def initialize(ls: ReplylintServer, params: types.InitializeParams) -> None:
    """Take the settings in `initializationOptions`, the workspace root, and choose push or
    pull diagnostics (`dispatch.py` advertises pulling only when this chose it)."""
    settings, problems = parse_settings(params.initialization_options)
    ls.use_settings(settings, problems)
    root = ls.workspace.root_path
    ls.configs.root = Path(root) if root else None
    text_caps = params.capabilities.text_document
    client_pulls = bool(text_caps and text_caps.diagnostic)
    mode = settings.diagnostic_mode
    ls.pull_mode = mode == "pull" or (mode == "auto" and client_pulls)


async def initialized(ls: ReplylintServer, params: types.InitializedParams) -> None:
    """Warm the checker up, watch the config files, and ask for the `replylint` settings."""
    ls.warm_up()
    await register_watchers(ls)
    await pull_configuration(ls)


def shutdown(ls: ReplylintServer, *args: object) -> None:
    """Stop the checker process, and with it any run in progress."""
    ls.stop_checking()
