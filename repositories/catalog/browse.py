"""The shoppers' browse: active products of one or more partitions, merged by sort key.

Every partition is read in the same sort order and resumed after the last sort key
shown (sort keys are unique: they end with the product id), so one cursor serves a
category and all its subcategories, or the whole shop.
"""

from __future__ import annotations

import heapq
from typing import Any

from pynamodb.expressions.condition import Condition

from domain.catalog.model import BrowseQuery, ProductSort, ProductStatus, ProductSummary
from domain.paging import Page
from repositories import keys
from repositories.catalog.items import ProductItem, to_summary
from repositories.cursors import decode_after, encode_after


def browse(query: BrowseQuery, category_ids: list[str] | None) -> Page[ProductSummary]:
    """A page of active products merged from each category's partition (or the shop's)."""
    by_price = query.sort is not ProductSort.NEWEST
    forward = query.sort is ProductSort.PRICE_ASC
    after = decode_after(
        query.after, query.sort.value, keys.PRICE_KEY if by_price else keys.TIME_KEY
    )
    index: Any
    if by_price:
        index, key_name = (
            (ProductItem.gsi1, "GSI1SK") if category_ids else (ProductItem.gsi5, "GSI5SK")
        )
        partitions = (
            [keys.category_pk(c) for c in category_ids] if category_ids else [keys.ACTIVE_PRODUCTS]
        )
        low = f"{keys.price_prefix(query.min_price)}#" if query.min_price is not None else "0"
        high = f"{keys.price_prefix(query.max_price)}#~" if query.max_price is not None else "~"
        price_filter: Condition | None = None
    else:
        index, key_name = (
            (ProductItem.gsi4, "GSI4SK") if category_ids else (ProductItem.gsi3, "GSI3SK")
        )
        partitions = (
            [keys.category_pk(c) for c in category_ids]
            if category_ids
            else [keys.product_status_pk(ProductStatus.ACTIVE.value)]
        )
        low, high = "0", "~"
        price_filter = _price_filter(query)
    if after is not None:
        if forward:
            low = max(low, after)
        else:
            high = min(high, after)
    sort_key = getattr(ProductItem, key_name)
    # One row beyond the page tells whether there is more; resuming, the bounds are
    # inclusive, so the row at the cursor comes back too (and is dropped below).
    wanted = query.limit + (2 if after is not None else 1)
    fetched: list[list[tuple[str, ProductItem]]] = []
    for partition in partitions:
        if low > high:
            fetched.append([])
            continue
        results = index.query(
            partition,
            sort_key.between(low, high),
            filter_condition=price_filter,
            scan_index_forward=forward,
            limit=wanted,
            page_size=wanted,
        )
        rows = [(getattr(i, key_name), i) for i in results]
        fetched.append([(k, i) for k, i in rows if k != after])
    merged = list(heapq.merge(*fetched, key=lambda row: row[0], reverse=not forward))
    page = merged[: query.limit]
    more = len(merged) > query.limit
    next_cursor = encode_after(query.sort.value, page[-1][0]) if more and page else None
    return Page([to_summary(i) for _, i in page], next_cursor)


def _price_filter(query: BrowseQuery) -> Condition | None:
    condition: Condition | None = None
    if query.min_price is not None:
        condition = ProductItem.price_amount >= query.min_price
    if query.max_price is not None:
        upper = ProductItem.price_amount <= query.max_price
        condition = upper if condition is None else condition & upper
    return condition
