"""Shops: ``SELLER#<sellerId>`` / ``PROFILE``, created with the owner's role change."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute

from domain.accounts.model import User
from domain.catalog.model import Seller
from domain.clock import iso, parse_iso
from domain.errors import Conflict
from repositories import keys
from repositories.accounts.items import CredentialsItem, UserItem
from repositories.table import ConditionFailed, Item, Transaction


class SellerItem(Item, discriminator="Seller"):
    seller_id = UnicodeAttribute(attr_name="sellerId")
    user_id = UnicodeAttribute(attr_name="userId")
    shop_name = UnicodeAttribute(attr_name="shopName")
    contact_email = UnicodeAttribute(attr_name="contactEmail")
    description = UnicodeAttribute(null=True)


def _seller(item: SellerItem) -> Seller:
    return Seller(
        seller_id=item.seller_id,
        user_id=item.user_id,
        shop_name=item.shop_name,
        contact_email=item.contact_email,
        description=item.description,
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
    )


class DynamoSellers:
    def add_seller(self, seller: Seller, user: User) -> None:
        stamp = iso(seller.created_at)
        tx = Transaction()
        tx.put(
            SellerItem(
                keys.seller_pk(seller.seller_id),
                keys.PROFILE,
                seller_id=seller.seller_id,
                user_id=seller.user_id,
                shop_name=seller.shop_name,
                contact_email=seller.contact_email,
                description=seller.description,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=SellerItem.PK.does_not_exist(),
            label="seller",
        )
        tx.update(
            UserItem(keys.user_pk(user.user_id), keys.PROFILE),
            actions=[UserItem.role.set("seller"), UserItem.updated_at.set(stamp)],
            condition=UserItem.role.is_in("customer", "seller"),
            label="profile",
        )
        tx.update(
            CredentialsItem(keys.email_pk(user.email), keys.CREDENTIALS),
            actions=[CredentialsItem.role.set("seller"), CredentialsItem.updated_at.set(stamp)],
            condition=CredentialsItem.PK.exists(),
        )
        try:
            tx.commit()
        except ConditionFailed:
            raise Conflict("this account already has a shop", code="seller_exists") from None

    def seller(self, seller_id: str) -> Seller | None:
        try:
            return _seller(SellerItem.get(keys.seller_pk(seller_id), keys.PROFILE))
        except SellerItem.DoesNotExist:
            return None
