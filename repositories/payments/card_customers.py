"""Checkout's one question about saved cards: whose provider customer is the caller's card
``USER#<userId>``/``CARDS#<paymentMethod>``? One GetItem projecting ``customerId``, read
raw: the checkout function does not load the saved cards' item classes (cold start).
The attribute name is ``repositories/payments/cards.py: CardItem.customer_id``'s;
tests/contract/test_cards.py holds the two to each other.
"""

from __future__ import annotations

from adapters import aws
from repositories import keys
from repositories.table import Item


class DynamoCardCustomers:
    def card_customer(self, user_id: str, payment_method: str) -> str | None:
        answer = aws.client("dynamodb").get_item(
            TableName=Item.Meta.table_name,
            Key={"PK": {"S": keys.user_pk(user_id)}, "SK": {"S": keys.card_sk(payment_method)}},
            ProjectionExpression="customerId",
            ConsistentRead=True,
        )
        value = answer.get("Item", {}).get("customerId", {})
        return str(value["S"]) if "S" in value else None
