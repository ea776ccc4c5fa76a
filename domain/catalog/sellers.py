"""Becoming a seller; a seller's public shop page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from domain.access import Role
from domain.catalog.model import Seller, seller_id_for
from domain.catalog.ports import SellerRepository
from domain.clock import utcnow
from domain.errors import Conflict, NotFound

if TYPE_CHECKING:
    from domain.accounts.ports import AccountRepository


@dataclass(frozen=True)
class ShopForm:
    shop_name: str
    contact_email: str
    description: str | None = None


def become_seller(
    user_id: str,
    form: ShopForm,
    *,
    accounts: AccountRepository,
    sellers: SellerRepository,
    now: datetime | None = None,
) -> Seller:
    """Open a shop: the user becomes a seller (their next tokens carry the role)."""
    now = now or utcnow()
    user = accounts.user(user_id)
    if user is None:
        raise NotFound("no such user", code="user_not_found")
    if user.role is Role.ADMIN:
        raise Conflict("an admin cannot open a shop", code="seller_exists")
    # A seller without a shop (made one by an admin) may open it; with one, the
    # repository refuses (the shop's key is the user's).
    seller = Seller(
        seller_id=seller_id_for(user_id),
        user_id=user_id,
        shop_name=form.shop_name,
        contact_email=form.contact_email.strip().lower(),
        description=form.description,
        created_at=now,
        updated_at=now,
    )
    sellers.add_seller(seller, user)
    return seller


def shop(seller_id: str, *, sellers: SellerRepository) -> Seller:
    found = sellers.seller(seller_id)
    if found is None:
        raise NotFound("no such seller", code="seller_not_found")
    return found
