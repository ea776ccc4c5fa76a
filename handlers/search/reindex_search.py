"""Rebuilds the product index from the table and swaps it in atomically (a deployed
stage's ``make reindex``: ``serverless invoke -f reindexSearch``). Progress goes to the
log; the answer is how many products were indexed."""

from __future__ import annotations

import time
from typing import Any

from domain.clock import utcnow
from domain.search.indexing import reindex
from handlers.shared import wiring
from handlers.shared.batch import logger

sources, tree = wiring.search_sources(), wiring.search_categories()


def lambda_handler(_event: dict[str, Any], _context: Any) -> dict[str, int]:
    count = reindex(
        sources=sources,
        categories=tree,
        index=wiring.search_index(),
        now=utcnow,
        clock=time.monotonic(),
        progress=lambda seen: logger.info("reindexing", extra={"productsRead": seen}),
    )
    logger.info("reindexed", extra={"indexed": count})
    return {"indexed": count}
