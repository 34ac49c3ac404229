"""Settings and config files changing: `workspace/didChangeConfiguration`, watched config
files, and asking the client for the `replylint` settings section. Each change re-reads the
configs and re-checks the open documents."""
from __future__ import annotations

import asyncio
import logging

from lsprotocol import types

from replylint.workspace import CONFIG_FILES, IGNORE_FILE

from ..server import ReplylintServer
from ..settings import SECTION, parse_settings

log = logging.getLogger("replylint.lsp")
WATCHED_FILES = (*CONFIG_FILES, IGNORE_FILE)  # a change to any re-reads the configs
WATCHED = tuple(f"**/{name}" for name in WATCHED_FILES)


def is_config_file(uri: str) -> bool:
    """Whether the document is a config or ignore file (saving it re-reads the configs)."""
    return uri.endswith(tuple(f"/{name}" for name in WATCHED_FILES))


async def did_change_configuration(ls: ReplylintServer, params: types.DidChangeConfigurationParams) -> None:
    """Settings sent with the notification are used; otherwise they are asked for."""
    settings = params.settings
    if isinstance(settings, dict) and isinstance(settings.get(SECTION), dict):
        ls.use_settings(*parse_settings(settings))
    else:
        await pull_configuration(ls)
    ls.config_changed()


def did_change_watched_files(ls: ReplylintServer, params: types.DidChangeWatchedFilesParams) -> None:
    ls.config_changed()


async def pull_configuration(ls: ReplylintServer) -> None:
    """Ask the client for the `replylint` section when it supports workspace/configuration."""
    workspace = ls.client_capabilities.workspace
    if not (workspace and workspace.configuration):
        return
    try:
        values = await asyncio.wait_for(ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])), timeout=5)
    except Exception as exc:  # a client that cannot answer keeps the settings it gave before
        log.warning("workspace/configuration failed: %s", exc)
        return
    if values and values[0] is not None:
        ls.use_settings(*parse_settings(values[0], ls.settings))
        ls.config_changed()


async def register_watchers(ls: ReplylintServer) -> None:
    """Watch the config and ignore files when the client can register watchers dynamically."""
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if not (watched and watched.dynamic_registration):
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED])
    try:
        await asyncio.wait_for(ls.client_register_capability_async(types.RegistrationParams(registrations=[
            types.Registration(id="replylint-config-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                               register_options=options)])), timeout=5)
    except Exception as exc:
        log.warning("could not register file watchers: %s", exc)
