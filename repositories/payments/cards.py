"""A user's saved cards: ``USER#<userId>`` / ``CARDS`` (the provider customer and the
default card) and ``CARDS#<paymentMethod>`` (one per card: brand, last four, expiry).

The customer and the cards sort together, so the wallet is one Query. Only what a
card may be shown by is stored (never a number); the provider's customer id is kept on
each card too, so checkout finds both with one GetItem.
"""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError

from adapters import aws
from domain.clock import iso, parse_iso
from domain.errors import Conflict, NotFound
from domain.payments.cards import StoredCard, Wallet
from domain.payments.ports import Card
from repositories import keys
from repositories.table import ConditionFailed, Item, Transaction, is_condition_failure


class CustomerItem(Item, discriminator="PaymentCustomer"):
    user_id = UnicodeAttribute(attr_name="userId")
    customer_id = UnicodeAttribute(attr_name="customerId")
    default_payment_method = UnicodeAttribute(attr_name="defaultPaymentMethod", null=True)


class CardItem(Item, discriminator="SavedCard"):
    user_id = UnicodeAttribute(attr_name="userId")
    payment_method = UnicodeAttribute(attr_name="paymentMethod")
    customer_id = UnicodeAttribute(attr_name="customerId")
    brand = UnicodeAttribute()
    last4 = UnicodeAttribute()
    exp_month = NumberAttribute(attr_name="expMonth", null=True)
    exp_year = NumberAttribute(attr_name="expYear", null=True)


def to_card(item: CardItem, default: str | None = None) -> StoredCard:
    return StoredCard(
        payment_method=item.payment_method,
        card=Card(
            brand=item.brand,
            last4=item.last4,
            exp_month=None if item.exp_month is None else int(item.exp_month),
            exp_year=None if item.exp_year is None else int(item.exp_year),
        ),
        customer_id=item.customer_id,
        created_at=parse_iso(item.created_at),
        is_default=item.payment_method == default,
    )


def _card_not_found(payment_method: str) -> NotFound:
    return NotFound(f"no saved card {payment_method}", code="payment_method_not_found")


class DynamoCards:
    def wallet(self, user_id: str) -> Wallet:
        customer: CustomerItem | None = None
        found: list[CardItem] = []
        for item in Item.query(
            keys.user_pk(user_id), Item.SK.startswith(keys.CARDS), consistent_read=True
        ):
            if isinstance(item, CustomerItem):
                customer = item
            elif isinstance(item, CardItem):
                found.append(item)
        default = customer.default_payment_method if customer else None
        ordered = sorted(found, key=lambda i: (i.created_at, i.payment_method))
        return Wallet(
            customer_id=customer.customer_id if customer else None,
            default=default,
            cards=[to_card(i, default) for i in ordered],
        )

    def customer(self, user_id: str) -> str | None:
        try:
            item = CustomerItem.get(keys.user_pk(user_id), keys.CARDS, consistent_read=True)
        except CustomerItem.DoesNotExist:
            return None
        return item.customer_id

    def email(self, user_id: str) -> str | None:
        # Raw and projected: this function does not load the accounts items.
        answer = aws.client("dynamodb").get_item(
            TableName=Item.Meta.table_name,
            Key={"PK": {"S": keys.user_pk(user_id)}, "SK": {"S": keys.PROFILE}},
            ProjectionExpression="email",
        )
        value = answer.get("Item", {}).get("email", {})
        return str(value["S"]) if "S" in value else None

    def add_customer(self, user_id: str, customer_id: str, now: datetime) -> str:
        stamp = iso(now)
        item = CustomerItem(
            keys.user_pk(user_id),
            keys.CARDS,
            user_id=user_id,
            customer_id=customer_id,
            created_at=stamp,
            updated_at=stamp,
        )
        try:
            item.save(condition=CustomerItem.PK.does_not_exist())
        except PutError as exc:
            if not is_condition_failure(exc):
                raise
            kept = self.customer(user_id)
            assert kept is not None
            return kept
        return customer_id

    def add_card(self, user_id: str, card: StoredCard, *, make_default: bool) -> StoredCard:
        stamp = iso(card.created_at)
        tx = Transaction()
        tx.put(
            CardItem(
                keys.user_pk(user_id),
                keys.card_sk(card.payment_method),
                user_id=user_id,
                payment_method=card.payment_method,
                customer_id=card.customer_id,
                brand=card.card.brand,
                last4=card.card.last4,
                exp_month=card.card.exp_month,
                exp_year=card.card.exp_year,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=CardItem.PK.does_not_exist(),
            label="card",
        )
        default = CustomerItem.default_payment_method
        tx.update(
            CustomerItem(keys.user_pk(user_id), keys.CARDS),
            actions=[
                default.set(card.payment_method if make_default else default | card.payment_method),
                CustomerItem.updated_at.set(stamp),
            ],
            condition=CustomerItem.customer_id == card.customer_id,
            label="customer",
        )
        try:
            tx.commit()
        except ConditionFailed as failed:
            if failed.label != "card":
                raise
        found = self.wallet(user_id).find(card.payment_method)
        assert found is not None
        return found

    def card(self, user_id: str, payment_method: str) -> StoredCard | None:
        try:
            item = CardItem.get(
                keys.user_pk(user_id), keys.card_sk(payment_method), consistent_read=True
            )
        except CardItem.DoesNotExist:
            return None
        return to_card(item)

    def card_customer(self, user_id: str, payment_method: str) -> str | None:
        found = self.card(user_id, payment_method)
        return None if found is None else found.customer_id

    def remove_card(
        self, user_id: str, payment_method: str, *, was_default: bool, new_default: str | None
    ) -> None:
        tx = Transaction()
        tx.delete(
            CardItem(keys.user_pk(user_id), keys.card_sk(payment_method)),
            condition=CardItem.PK.exists(),
            label="card",
        )
        if was_default:
            default = CustomerItem.default_payment_method
            tx.update(
                CustomerItem(keys.user_pk(user_id), keys.CARDS),
                actions=[default.set(new_default) if new_default else default.remove()],
                condition=default == payment_method,
                label="default",
            )
        try:
            tx.commit()
        except ConditionFailed as failed:
            if failed.label == "default":
                raise Conflict(
                    "the default card changed meanwhile; retry", code="concurrent_update"
                ) from None
            raise _card_not_found(payment_method) from None

    def set_default(self, user_id: str, payment_method: str) -> None:
        tx = Transaction()
        tx.check(
            CardItem,
            keys.user_pk(user_id),
            keys.card_sk(payment_method),
            CardItem.PK.exists(),
            label="card",
        )
        tx.update(
            CustomerItem(keys.user_pk(user_id), keys.CARDS),
            actions=[CustomerItem.default_payment_method.set(payment_method)],
            condition=CustomerItem.PK.exists(),
            label="customer",
        )
        try:
            tx.commit()
        except ConditionFailed:
            raise _card_not_found(payment_method) from None
