"""Synthetic support archives for `replylint audit`: tickets with customer and agent turns, agents in
teams, macros, months, and a known share of risky replies, to any size.

    python bench/make_archive.py archive.jsonl --replies 100000                 # a JSONL table
    python bench/make_archive.py archive.parquet --replies 1000000 --format parquet
    python bench/make_archive.py tickets.jsonl --replies 5000 --format zendesk --seed 7

Formats: `jsonl` / `csv` / `parquet` tables (columns reply_id, ticket_id, agent, team, macro,
created_at, customer_message, body, risky: audit them with `--text body --by agent,team,macro
--time created_at --id reply_id --context customer_message`) and `zendesk`, a Zendesk ticket
export (one ticket a line, comments with side-loaded users and groups, internal notes that an
audit must skip). The same --seed writes the same archive byte for byte. Rows stream to disk
(Parquet in row groups), so any size fits in flat memory. Prints what it wrote as JSON, with the
exact number of risky replies: `risky` is the truth the audit's counts can be held to.

Risky replies are not spread evenly, so the report has something to find: some agents write
them three times as often as others, the first team improves over the months and the second
worsens.
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FORMATS = ("jsonl", "csv", "parquet", "zendesk")
COLUMNS = ("reply_id", "ticket_id", "agent", "team", "macro", "created_at", "customer_message", "body", "risky")

# Macro bodies that replylint leaves alone; {order} is filled per reply.
MACROS = {
    "refund-issued": "Thanks for getting in touch. I have refunded order {order} today; you will see it "
                     "on your statement within 3-5 working days.",
    "password-reset": "Thank you for your patience. I've reset your password and sent a new sign-in link "
                      "to the address on your account.",
    "shipped": "Good news: order {order} left our warehouse this morning. The tracking link is in your "
               "account under Orders.",
    "escalated": "Thanks for the details. I've passed order {order} to our billing team and will update "
                 "you by Friday.",
    "replacement": "I'm sorry the item arrived damaged. A replacement for order {order} is on its way at "
                   "no cost to you.",
    "address-changed": "Thanks for letting us know. I've updated the delivery address for order {order}.",
    "subscription-paused": "Done: your subscription is paused from today, and you can restart it at any "
                           "time from your account page.",
    "invoice-sent": "I've attached the invoice for order {order}. Let me know if you need anything else on it.",
}
# Sentences that replylint flags (blame, blunt refusals, condescension, last-word jabs).
RISKY = (
    "As I already told you, this is your fault.",
    "The answer is no. We cannot refund this order.",
    "Obviously the app works fine on our end. Calm down and try again.",
    "That's not our problem, there is nothing we can do.",
    "Per my last email, you need to restart the router.",
    "You failed to enter the correct code. That is company policy, period.",
    "You should have read the instructions before ordering.",
)
CUSTOMER = (
    "Hi, my order {order} still hasn't arrived. Can you check? My number is {phone}.",
    "Hello, I was charged twice for order {order}. Please fix this, I'm really upset.",
    "I can't sign in to my account ({email}). Can you reset my password?",
    "The item in order {order} arrived broken. What can you do?",
    "Please change the delivery address for order {order}, I moved last week.",
    "Can I pause my subscription for a month?",
)
FIRST_NAMES = ("Anna", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Luca",
               "Maya", "Nils", "Olga", "Priya", "Quinn", "Rosa", "Sami", "Tariq", "Uma", "Viktor", "Wen", "Yara")
TEAMS = ("Billing", "Shipping", "Accounts", "Returns", "Technical", "Retention")
NOTE = "Internal: customer is wrong, obviously. Don't refund."


@dataclass(frozen=True)
class Plan:
    """What to generate: sizes, how many agents, teams, macros and months, and the risky share."""

    replies: int
    seed: int = 1
    risky_share: float = 0.15
    agents: int = 24
    teams: int = 4
    months: int = 12
    start: str = "2025-01"  # the first month, YYYY-MM


@dataclass
class Written:
    """What was written: the file, its format, and the counts an audit can be checked against."""

    path: str
    format: str
    replies: int = 0
    risky: int = 0
    tickets: int = 0
    bytes: int = 0


@dataclass(frozen=True)
class Reply:
    """One agent reply of a ticket and the customer's message before it."""

    reply_id: str
    ticket_id: int
    agent: str
    team: str
    macro: str
    created_at: str
    customer_message: str
    body: str
    risky: bool


def _month(plan: Plan, index: int) -> tuple[int, int]:
    year, month = (int(p) for p in plan.start.split("-"))
    total = year * 12 + month - 1 + index
    return total // 12, total % 12 + 1


def _risk(plan: Plan, agent: int, team: int, month: int) -> float:
    """The chance a reply is risky: agents' habits (x0.4, x1, x1.6) and team trends over months."""
    progress = month / max(plan.months - 1, 1)
    trend = {0: 1.5 - progress, 1: 0.5 + progress}.get(team, 1.0)
    return min(1.0, plan.risky_share * (0.4, 1.0, 1.6)[agent % 3] * trend)


def _fill(rng: random.Random, template: str) -> str:
    return template.format(order=rng.randint(100000, 999999), phone=f"+1 555 {rng.randint(100, 999)} "
                           f"{rng.randint(1000, 9999)}", email=f"{rng.choice(FIRST_NAMES).lower()}@example.com")


def tickets(plan: Plan) -> Iterator[list[Reply]]:
    """The archive ticket by ticket, in time order: each ticket 1-3 replies by one agent of one team."""
    rng = random.Random(plan.seed)
    agents = [(f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {i // len(FIRST_NAMES) + 1}".removesuffix(" 1"), i % plan.teams)
              for i in range(plan.agents)]
    macros = list(MACROS)
    made, ticket_id = 0, 10000
    while made < plan.replies:
        ticket_id += 1
        month = min(plan.months - 1, made * plan.months // plan.replies)
        year, month_no = _month(plan, month)
        day, hour = rng.randint(1, 28), rng.randint(8, 17)
        agent_no = rng.randrange(plan.agents)
        agent, team = agents[agent_no]
        customer = rng.choice(FIRST_NAMES)
        replies = []
        for turn in range(min(rng.randint(1, 3), plan.replies - made)):
            macro = rng.choice(macros)
            risky = rng.random() < _risk(plan, agent_no, team, month)
            body = _fill(rng, MACROS[macro]) + (" " + rng.choice(RISKY) if risky else "")
            text = f"Hi {customer},\n\n{body}\n\nBest,\n{agent.split()[0]}"
            created = f"{year:04d}-{month_no:02d}-{day:02d}T{hour + turn:02d}:{rng.randint(1, 59):02d}:00Z"
            replies.append(Reply(f"{ticket_id}-{turn + 1}", ticket_id, agent, TEAMS[team % len(TEAMS)], macro,
                                 created, _fill(rng, rng.choice(CUSTOMER)), text, risky))
        made += len(replies)
        yield replies


def _zendesk_ticket(replies: list[Reply]) -> dict[str, Any]:
    """One ticket as Zendesk's API returns it with side-loads: customer comment, agent reply, and
    an internal note (not a reply) on every fifth ticket."""
    first = replies[0]
    requester = first.ticket_id * 10
    agent_id = 1000 + sum(map(ord, first.agent))  # stable across runs, unlike hash()
    group_id = 500 + TEAMS.index(first.team)
    comments: list[dict[str, Any]] = []
    for reply in replies:
        number = len(comments)
        comments.append({"id": first.ticket_id * 100 + number, "type": "Comment", "author_id": requester,
                         "body": reply.customer_message, "public": True,
                         "created_at": reply.created_at[:14] + "00:00Z"})  # replies are at minute 1-59
        comments.append({"id": first.ticket_id * 100 + number + 1, "type": "Comment", "author_id": agent_id,
                         "body": reply.body, "public": True, "created_at": reply.created_at,
                         "macro": reply.macro, "risky": reply.risky})
    if first.ticket_id % 5 == 0:
        comments.append({"id": first.ticket_id * 100 + 99, "type": "Comment", "author_id": agent_id,
                         "body": NOTE, "public": False, "created_at": replies[-1].created_at})
    return {"ticket": {"id": first.ticket_id, "subject": "Order question", "requester_id": requester,
                       "assignee_id": agent_id, "group_id": group_id, "created_at": first.created_at,
                       "status": "solved"},
            "users": [{"id": requester, "name": f"Customer {first.ticket_id}", "role": "end-user"},
                      {"id": agent_id, "name": first.agent, "role": "agent"}],
            "groups": [{"id": group_id, "name": first.team}],
            "comments": comments}


def _parquet_schema() -> Any:
    import pyarrow as pa

    return pa.schema([(c, pa.bool_() if c == "risky" else pa.int64() if c == "ticket_id" else pa.string())
                      for c in COLUMNS])


def write_archive(path: str | Path, plan: Plan, fmt: str = "jsonl", row_group: int = 50_000) -> Written:
    """Write the archive `plan` describes to `path` in `fmt`, streaming; what was written."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    path = Path(path)
    written = Written(str(path), fmt)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = _parquet_schema()
        batch: list[dict[str, Any]] = []
        with pq.ParquetWriter(path, schema) as writer:
            for replies in tickets(plan):
                _count(written, replies)
                batch.extend(asdict(r) for r in replies)
                if len(batch) >= row_group:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    batch = []
            if batch:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    else:
        with path.open("w", encoding="utf-8", newline="") as out:
            rows = csv.writer(out) if fmt == "csv" else None
            if rows is not None:
                rows.writerow(COLUMNS)
            for replies in tickets(plan):
                _count(written, replies)
                if fmt == "zendesk":
                    out.write(json.dumps(_zendesk_ticket(replies)) + "\n")
                for reply in replies if fmt != "zendesk" else ():
                    record = asdict(reply)
                    if rows is not None:
                        rows.writerow([int(v) if isinstance(v, bool) else v for v in record.values()])
                    else:
                        out.write(json.dumps(record) + "\n")
    written.bytes = path.stat().st_size
    return written


def _count(written: Written, replies: list[Reply]) -> None:
    written.tickets += 1
    written.replies += len(replies)
    written.risky += sum(r.risky for r in replies)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="the file to write")
    ap.add_argument("--replies", type=int, default=10_000, help="agent replies to write (default 10,000)")
    ap.add_argument("--format", choices=FORMATS, help="default: from the file name (.csv, .parquet, else jsonl)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--risky-share", type=float, default=0.15, help="about this share of replies is risky")
    ap.add_argument("--agents", type=int, default=24)
    ap.add_argument("--teams", type=int, default=4)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--start", default="2025-01", help="the first month, YYYY-MM")
    args = ap.parse_args(argv)
    fmt = args.format or {".csv": "csv", ".parquet": "parquet"}.get(Path(args.out).suffix.lower(), "jsonl")
    plan = Plan(args.replies, args.seed, args.risky_share, args.agents, max(1, min(args.teams, len(TEAMS))),
                max(1, args.months), args.start)
    written = write_archive(args.out, plan, fmt)
    json.dump(asdict(written), sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
