"""Keeps the search index within seconds of the table: product events (and order events,
for the admins' order search) from the outbox, through the search queue. Each message
names what changed; the current state is read from the table (domain/search/indexing.py),
so a redelivered or late event never writes a stale copy."""

from __future__ import annotations

import time

from domain.clock import utcnow
from domain.search.indexing import index_order, index_product
from handlers.shared import wiring
from handlers.shared.batch import Record, domain_event, logger, worker

sources, tree = wiring.search_sources(), wiring.search_categories()


def follow(record: Record) -> None:
    event = domain_event(record)
    index = wiring.search_index()  # built on the first call, then the container's
    if event.type.startswith("order."):
        outcome = index_order(event.subject, sources=sources, index=index, now=utcnow())
    else:
        outcome = index_product(
            event.subject,
            sources=sources,
            categories=tree,
            index=index,
            now=utcnow(),
            clock=time.monotonic(),
        )
    logger.info(
        "indexed", extra={"eventType": event.type, "subject": event.subject, "outcome": outcome}
    )


lambda_handler = worker("sqs", follow)
