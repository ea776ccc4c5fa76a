"""Where a buyer ships to, read for tax: the profile partition (``USER#<userId>``, the
profile and its ``PROFILE#ADDRESS#<addressId>`` items, as ``GET /me`` reads it).

One Query that projects only the attributes a destination needs, read raw: the cart's
functions do not load the accounts items and models (their cold start stays in budget).
The attribute names are those of ``repositories/accounts/items.py`` (``UserItem``,
``AddressItem``); tests/contract/test_cart_holds.py holds the two to each other.
"""

from __future__ import annotations

from typing import Any

from adapters import aws
from domain.buying.model import Destination
from repositories import keys
from repositories.table import Item

NAMES = {
    "#sk": "SK",
    "#id": "addressId",
    "#country": "country",
    "#region": "region",
    "#default": "defaultShippingAddressId",
}


def _text(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name)
    return str(value["S"]) if value and "S" in value else None


class DynamoAddressBook:
    def destinations(self, user_id: str) -> tuple[str | None, dict[str, Destination]]:
        answer = aws.client("dynamodb").query(
            TableName=Item.Meta.table_name,
            KeyConditionExpression="PK = :pk AND begins_with(#sk, :profile)",
            ExpressionAttributeValues={
                ":pk": {"S": keys.user_pk(user_id)},
                ":profile": {"S": keys.PROFILE},
            },
            ExpressionAttributeNames=NAMES,
            ProjectionExpression=", ".join(NAMES),
        )
        default: str | None = None
        found: dict[str, Destination] = {}
        for item in answer.get("Items", []):
            if _text(item, "SK") == keys.PROFILE:
                default = _text(item, "defaultShippingAddressId")
                continue
            address_id, country = _text(item, "addressId"), _text(item, "country")
            if address_id and country:
                found[address_id] = Destination(country, _text(item, "region"))
        return default, found
