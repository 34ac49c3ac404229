"""stdio transport with bounded reads: pygls' own reader allocates whatever a Content-Length
header asks for and reads a header line of any length, so one bad header could exhaust
memory and end the server. Here a header line is cut at 64 KB and a message body over
`MAX_MESSAGE_BYTES` is read in chunks and dropped (with a logged warning).
"""
from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable
from threading import Event
from typing import TYPE_CHECKING, Any, BinaryIO

from pygls.io_ import StdoutWriter, run_async

if TYPE_CHECKING:
    from pygls.server import JsonRPCServer

log = logging.getLogger("replylint.lsp")
MAX_HEADER_BYTES = 64 * 1024
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
_CHUNK = 1024 * 1024


class BoundedReader:
    """pygls' async reader interface over a binary stream, reading on a worker thread."""

    def __init__(self, stream: BinaryIO, executor: Any) -> None:
        self.stream = stream
        self.executor = executor

    def readline(self) -> Awaitable[bytes]:
        return asyncio.get_running_loop().run_in_executor(self.executor, self.stream.readline, MAX_HEADER_BYTES)

    def readexactly(self, n: int) -> Awaitable[bytes]:
        return asyncio.get_running_loop().run_in_executor(self.executor, self._body, n)

    def _body(self, n: int) -> bytes:
        if n <= MAX_MESSAGE_BYTES:
            return self.stream.read(n)
        left = n
        while left > 0:  # skip it without holding it
            chunk = self.stream.read(min(left, _CHUNK))
            if not chunk:
                return b""
            left -= len(chunk)
        return b'{"replylint-dropped": %d}' % n  # the protocol logs it; there is no id to answer


def serve_stdio(server: JsonRPCServer, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
    """Run the server's message loop on stdin/stdout until the client exits or goes away."""
    server._stop_event = stop = Event()
    server.protocol.set_writer(StdoutWriter(stdout or sys.stdout.buffer))
    reader = BoundedReader(stdin or sys.stdin.buffer, server.thread_pool)
    try:
        asyncio.run(run_async(stop_event=stop, reader=reader, protocol=server.protocol, logger=log,
                              error_handler=server.report_server_error))
    except BrokenPipeError:
        log.error("the connection to the client is lost: stopping")
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()
