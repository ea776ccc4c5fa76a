"""Bodies of the seller operations."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints

from domain.catalog.model import Seller
from handlers.shared.schema import Email, RequestModel, ResponseModel

ShopName = Annotated[str, StringConstraints(min_length=2, max_length=80)]
Description = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class BecomeSellerRequest(RequestModel):
    shop_name: ShopName
    contact_email: Email
    description: Description | None = None


class SellerOut(ResponseModel):
    seller_id: str
    shop_name: str
    contact_email: str
    description: str | None
    created_at: datetime

    @classmethod
    def of(cls, seller: Seller) -> SellerOut:
        return cls(
            seller_id=seller.seller_id,
            shop_name=seller.shop_name,
            contact_email=seller.contact_email,
            description=seller.description,
            created_at=seller.created_at,
        )
