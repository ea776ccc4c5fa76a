"""Who may do what: the roles a signed-in user has."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CUSTOMER = "customer"
    SELLER = "seller"
    ADMIN = "admin"
