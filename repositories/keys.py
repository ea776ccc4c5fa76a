"""Partition keys shared across repositories (each repository owns the rest of its keys)."""

from __future__ import annotations


def product_pk(product_id: str) -> str:
    return f"PRODUCT#{product_id}"


def category_pk(category_id: str) -> str:
    return f"CATEGORY#{category_id}"


def seller_pk(seller_id: str) -> str:
    return f"SELLER#{seller_id}"
