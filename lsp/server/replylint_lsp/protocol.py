"""The JSON-RPC layer, hardened: every request gets exactly one response, whatever arrives.

pygls drops a request whose params do not fit its method's types (no response at all), and
every message after `shutdown`. Here messages are parsed as plain JSON first and typed one
at a time, so a bad one is answered with the error the specs ask for:

- params of the wrong shape: InvalidParams (-32602);
- a request that is not a JSON-RPC request (bad id, no method name): InvalidRequest (-32600);
- a request after `shutdown` (other than `exit`): InvalidRequest;
- a request before `initialize`: ServerNotInitialized (-32002).

Notifications cannot be answered; a bad one is logged (stderr and `window/logMessage`).
"""
from __future__ import annotations

import json
import logging
from concurrent.futures import Future
from typing import Any
from urllib.parse import unquote

from cattrs import transform_error
from cattrs.errors import ClassValidationError
from lsprotocol import types
from pygls.exceptions import (
    JsonRpcException,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcServerNotInitialized,
)
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.json_rpc import JsonRPCNotification, JsonRPCRequestMessage, JsonRPCResponseMessage

log = logging.getLogger("replylint.lsp")
MAX_DETAIL = 300  # characters of a validation problem quoted back to the client


def _problem(exc: Exception) -> str:
    """A short description of why a message did not fit its type."""
    if isinstance(exc, ClassValidationError):
        text = "; ".join(transform_error(exc, path="message"))
    else:
        text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= MAX_DETAIL else text[:MAX_DETAIL] + "…"


def _valid_id(value: Any) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)


class ReplylintProtocol(LanguageServerProtocol):
    """pygls' LSP protocol with messages validated one by one and answered when malformed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._initialize_seen = False

    # ----- reading ----------------------------------------------------------------------------

    def structure_message(self, data: dict[str, Any]) -> dict[str, Any]:
        """The JSON reader's object hook: keep every object raw; `handle_message` types the
        top-level message (so a nested object is never mistaken for a message)."""
        return data

    def handle_message(self, message: Any) -> None:  # type: ignore[override]
        """Type one raw message and hand it on, answering a malformed request instead."""
        if isinstance(message, dict) and isinstance(message.get("replylint-dropped"), int):
            self._warn(f"dropped a message of {message['replylint-dropped']:,} bytes: over the size limit")
            return
        if not isinstance(message, dict):
            self._warn(f"ignored a message that is not a JSON object: {str(message)[:80]}")
            return
        method, has_id = message.get("method"), "id" in message
        if method is None and has_id:
            self._handle_raw_response(message)
            return
        if has_id:
            self._handle_raw_request(message, method)
        else:
            self._handle_raw_notification(message, method)

    def _handle_raw_request(self, raw: dict[str, Any], method: Any) -> None:
        msg_id = raw.get("id")
        if not _valid_id(msg_id) or not isinstance(method, str) or raw.get("jsonrpc") != self.VERSION:
            self._refuse(msg_id if _valid_id(msg_id) else None,
                         JsonRpcInvalidRequest("Invalid Request: needs jsonrpc 2.0, a method name and an id "
                                               "that is a number or a string"))
            return
        if self._shutdown and method != types.EXIT:
            self._refuse(msg_id, JsonRpcInvalidRequest(f"Invalid Request: the server is shut down ({method})"))
            return
        if not self._initialize_seen and method not in (types.INITIALIZE, types.EXIT):
            self._refuse(msg_id, JsonRpcServerNotInitialized(f"the server is not initialized ({method})"))
            return
        try:
            typed = self._converter.structure(raw, self.get_message_type(method) or JsonRPCRequestMessage)
        except Exception as exc:
            self._refuse(msg_id, JsonRpcInvalidParams(f"Invalid Params for {method}: {_problem(exc)}"))
            return
        if method == types.INITIALIZE:
            self._initialize_seen = True  # only a well-formed initialize sets up the workspace
        super().handle_message(typed)

    def _handle_raw_notification(self, raw: dict[str, Any], method: Any) -> None:
        if not isinstance(method, str) or raw.get("jsonrpc") != self.VERSION:
            self._warn(f"ignored a message that is not JSON-RPC 2.0: {json.dumps(raw)[:80]}")
            return
        if method == types.EXIT:
            pass  # always honoured
        elif self._shutdown or not self._initialize_seen:
            log.info("dropped %s: the server is %s", method, "shut down" if self._shutdown else "not initialized")
            return
        try:
            typed = self._converter.structure(raw, self.get_message_type(method) or JsonRPCNotification)
        except Exception as exc:
            self._warn(f"ignored {method}: {_problem(exc)}")
            return
        super().handle_message(typed)

    def _handle_raw_response(self, raw: dict[str, Any]) -> None:
        """A client's answer to one of our requests; a malformed one fails that request."""
        msg_id = raw.get("id")
        result_type = self._result_types.pop(msg_id, None) if _valid_id(msg_id) else None
        try:
            if "error" in raw:
                typed = self._converter.structure(raw, types.ResponseErrorMessage)
            else:
                typed = self._converter.structure(raw, result_type or JsonRPCResponseMessage)
        except Exception as exc:
            if _valid_id(msg_id) and msg_id in self._request_futures:
                self._handle_response(msg_id, None, types.ResponseError(
                    code=JsonRpcInvalidParams.CODE, message=f"malformed response: {_problem(exc)}"))
            else:
                self._warn(f"ignored a malformed response: {_problem(exc)}")
            return
        super().handle_message(typed)

    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):  # type: ignore[override]
        """A change to a document that is not open is logged and skipped, not applied."""
        if not self.workspace.text_documents.get(unquote(params.text_document.uri)):
            self._warn(f"ignored didChange for {params.text_document.uri}: the document is not open")
            return
        yield from super().lsp_text_document__did_change(params)

    lsp_text_document__did_change.method_name = types.TEXT_DOCUMENT_DID_CHANGE  # type: ignore[attr-defined]

    # ----- answering ------------------------------------------------------------------------

    def _refuse(self, msg_id: Any, error: JsonRpcException) -> None:
        log.warning("%s", error.message)
        self._send_response(msg_id, None, error.to_response_error())

    def _warn(self, message: str) -> None:
        """A problem with a message that has no one to answer: logged, and told to the client."""
        log.warning("%s", message)
        self.notify(types.WINDOW_LOG_MESSAGE, types.LogMessageParams(type=types.MessageType.Warning,
                                                                     message=f"replylint: {message}"))

    def _send_data(self, data: Any) -> None:
        """Send a message; a result that cannot be serialized becomes an InternalError response
        (pygls would log it and send nothing, leaving the client waiting)."""
        if not data:
            return
        if self.writer is None:
            log.error("cannot send: no transport")
            return
        try:
            body = json.dumps(data, default=self._serialize_message)
        except Exception as exc:
            msg_id = getattr(data, "id", None)
            log.exception("cannot serialize a message")
            if not hasattr(data, "method") and _valid_id(msg_id) and not hasattr(data, "error"):
                error = JsonRpcInternalError(f"the result could not be serialized: {exc}")
                self._send_data(types.ResponseErrorMessage(id=msg_id, error=error.to_response_error()))
            return
        header = f"Content-Length: {len(body)}\r\nContent-Type: {self.CONTENT_TYPE}; charset={self.CHARSET}\r\n\r\n"
        try:
            self.writer.write((header + body).encode(self.CHARSET))  # ASCII: json.dumps escapes the rest
        except BrokenPipeError:
            raise  # the client is gone: the server stops
        except Exception:
            log.exception("cannot send a message")

    def _execute_handler(self, msg_id: Any, handler: Any, callback: Any, args: Any = None,
                         kwargs: Any = None) -> None:
        """pygls keeps the future of every notification handler forever; drop it when done."""
        def done(future: Future[Any]) -> None:
            if self._request_futures.get(msg_id) is future:
                del self._request_futures[msg_id]
            callback(future)

        super()._execute_handler(msg_id, handler, done, args, kwargs)
