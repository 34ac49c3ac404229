"""Soak: 10,000 mixed messages, malformed ones among them, across 20 documents, sent to one
server over stdio. Every request is answered (matched by id), the server's memory stays
flat over the second half, and each document ends with exactly the diagnostics
`replylint.check` gives for its final text. Bounded: it stops by itself."""
from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import replylint

from .rawclient import RawServer

MESSAGES = 10_000
DOCUMENTS = 20
SAMPLES = 20  # memory readings, one per 500 messages
REPLIES = [
    "Hi Sam,\n\nYou are wrong about the fee.\n",
    "Hello,\n\nPlease be advised that we have updated the fee. Per our policy, it is final.\n",
    "Hi,\n\nThanks for waiting. We refunded the fee today.\n",
    "Hej Anna!\n\nDu har fel, fakturan stämmer.\n",
    "No,\u00a0you're\u00a0wrong. 🙂 The parcel left on Monday.\n",
    "Dear customer,\n\nAs I already said, you should have read the terms. Obviously, we cannot help.\n",
    "Hi Jo,\n\nI understand the delay is frustrating. Your replacement ships tomorrow.\n\n-- \nSupport\n",
    "Hi,\n\n> You are wrong, I paid!\n\nSorry about that: the payment arrived, and you are all set.\n",
    "ATTENTION!!! You MUST reply within 24 hours!!!\n",
    "Unfortunately there is nothing we can do. Calm down and read the FAQ.\n",
]
ODD_TEXTS = ["", "\x00\x01binary\x02" * 50, "\ud800 lone surrogate, you are wrong.", "\r\r\n\n\t  \u2028\u200b",
             "Sorry. " * 30_000, "x" * 5000 + "\n" + "You are wrong. " * 200, "{\"not\": [\"a reply\""]
POSITION = {"line": 2, "character": 3}


def _real(text: str) -> bool:
    """One of the replies, with any number of "Sorry. " typed before it."""
    while text.startswith("Sorry. "):
        text = text[len("Sorry. "):]
    return text in REPLIES


def _utf16(text: str, offset: int) -> dict[str, int]:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": len(text[start:offset].encode("utf-16-le")) // 2}


def _expected(text: str) -> list[tuple[Any, ...]]:
    found = replylint.check(text, "auto", None, format="text")
    return sorted((f.rule, json.dumps(_utf16(text, f.start)), json.dumps(_utf16(text, f.end))) for f in found)


def _actual(diagnostics: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return sorted((d["code"], json.dumps(d["range"]["start"]), json.dumps(d["range"]["end"]))
                  for d in diagnostics if d.get("code"))


class Soak:
    """The sender: one random message at a time, remembering what needs an answer."""

    def __init__(self, server: RawServer, root: Path, seed: int) -> None:
        self.server, self.root, self.random = server, root, random.Random(seed)
        self.uris = [root / f"doc {n:02}.txt" for n in range(DOCUMENTS)]
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self.expect: list[Any] = []  # ids that must be answered
        self.sent = 0

    def open_all(self) -> None:
        for path in self.uris:
            text = self.random.choice(REPLIES)
            uri = self.server.open(path, text)
            self.texts[uri], self.versions[uri] = text, 1
            self.sent += 1

    def request(self, method: str, params: Any) -> None:
        self.expect.append(self.server.request(method, params))

    def step(self) -> None:
        """Send one message, chosen by weight."""
        kind = self.random.choices(
            ["replace", "insert", "hover", "action", "explain", "bad-params", "unknown-request",
             "unknown-notification", "change-unknown", "bad-uri", "bogus-cancel", "cancel-real", "garbage",
             "odd-text", "pull-unsupported"],
            weights=[22, 14, 10, 10, 4, 6, 4, 4, 4, 4, 5, 3, 3, 3, 4])[0]
        uri = self.random.choice(list(self.texts))
        self.sent += 1
        if kind in ("replace", "odd-text"):
            text = self.random.choice(REPLIES if kind == "replace" else ODD_TEXTS)
            self.versions[uri] += 1
            self.texts[uri] = text
            self.server.replace(uri, text, self.versions[uri])
        elif kind == "insert":
            self.versions[uri] += 1
            self.texts[uri] = "Sorry. " + self.texts[uri]
            self.server.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": self.versions[uri]},
                "contentChanges": [{"range": {"start": {"line": 0, "character": 0},
                                              "end": {"line": 0, "character": 0}}, "text": "Sorry. "}]})
        elif kind == "hover":
            self.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": POSITION})
        elif kind == "action":
            self.request("textDocument/codeAction", {
                "textDocument": {"uri": uri}, "context": {"diagnostics": []},
                "range": {"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}}})
        elif kind == "explain":
            self.request("workspace/executeCommand", {"command": "replylint.explainRule",
                                                      "arguments": [self.random.choice(["RL201", "RL999", 5])]})
        elif kind == "bad-params":
            method = self.random.choice(["textDocument/hover", "textDocument/codeAction", "workspace/executeCommand"])
            self.request(method, self.random.choice(["nonsense", {"textDocument": 5}, [1], None, 42]))
        elif kind == "unknown-request":
            self.request("replylint/noSuchThing", {"x": self.random.random()})
        elif kind == "unknown-notification":
            self.server.notify("replylint/noSuchNotice", "nonsense")
        elif kind == "change-unknown":
            self.server.replace((self.root / f"closed-{self.random.randrange(10**6)}.txt").as_uri(), "text", 2)
        elif kind == "bad-uri":
            bad = self.random.choice(["", "not a uri", "file:///%ZZ", "untitled:", "file:///nowhere/\u2028.txt"])
            self.request("textDocument/hover", {"textDocument": {"uri": bad}, "position": POSITION})
        elif kind == "bogus-cancel":
            self.server.notify("$/cancelRequest", {"id": self.random.choice([10**9, "nope", -1])})
            self.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": POSITION})
        elif kind == "cancel-real":
            self.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": POSITION})
            self.server.notify("$/cancelRequest", {"id": self.expect[-1]})  # answered: a result or "cancelled"
        elif kind == "garbage":
            self.server.send_bytes(self.random.choice([b"{not json", b"[]", b'{"jsonrpc": "2.0", "id": null}']))
        else:
            self.request("textDocument/diagnostic", {"textDocument": {"uri": uri}})  # push mode: not offered


def test_ten_thousand_mixed_messages(tmp_path: Path) -> None:
    started = time.monotonic()
    server = RawServer(tmp_path / "server-stderr.log")
    try:
        server.initialize(tmp_path)
        soak = Soak(server, tmp_path, seed=12)
        soak.open_all()
        for uri in soak.texts:
            server.published(uri, version=1)  # the checker is warm before the clock and memory matter
        rss: list[float] = []  # the server process
        total: list[float] = []  # with its checker process
        while soak.sent < MESSAGES:
            soak.step()
            if soak.sent % (MESSAGES // SAMPLES) == 0:
                # the processes' own heap: the language identifier's memory-mapped tables
                # (engine/langid_tables.py) become resident as detections reach their pages,
                # bounded by the 51 MB file and shared with other processes, which is not growth
                rss.append(server.rss_mb(field="RssAnon"))
                total.append(server.total_rss_mb(field="RssAnon"))
        for uri, text in soak.texts.items():  # end on real replies, so the comparison is meaningful
            soak.versions[uri] += 1
            soak.texts[uri] = text if _real(text) else REPLIES[0]
            server.replace(uri, soak.texts[uri], soak.versions[uri])

        server.wait_until(lambda s: all(i in s.responses for i in soak.expect), timeout=150,
                          what=f"answers to all {len(soak.expect)} requests")
        answers = [server.responses[i] for i in soak.expect]
        assert all(("result" in a) != ("error" in a) for a in answers)
        assert sum("error" in a for a in answers) > 0 and sum("result" in a for a in answers) > 0

        for uri, text in soak.texts.items():
            assert _actual(server.published(uri, version=soak.versions[uri], timeout=60)) == _expected(text), uri
        assert server.alive()
        second_half = rss[len(rss) // 2:]
        assert max(second_half) - second_half[0] < 30, f"server memory grew: {rss}"
        second_half = total[len(total) // 2:]
        assert max(second_half) - min(second_half) < 80, f"server and checker memory grew: {total}"
        assert time.monotonic() - started < 600
    finally:
        server.close()
