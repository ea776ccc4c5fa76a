"""The single table: base item, indexes, the shared connection, transactions.

Every key and condition of the shop lives in this package; nothing above it sees a
``PK`` or a condition expression.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from pynamodb.attributes import (
    DiscriminatorAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.connection import Connection
from pynamodb.connection.table import TableConnection
from pynamodb.exceptions import PynamoDBException, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from adapters import aws
from adapters.settings import settings
from domain.errors import Conflict

T = TypeVar("T", bound="Item")


class GSI1(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "GSI1"
        projection = AllProjection()

    GSI1PK = UnicodeAttribute(hash_key=True)
    GSI1SK = UnicodeAttribute(range_key=True)


class GSI2(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "GSI2"
        projection = AllProjection()

    GSI2PK = UnicodeAttribute(hash_key=True)
    GSI2SK = UnicodeAttribute(range_key=True)


class GSI3(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "GSI3"
        projection = AllProjection()

    GSI3PK = UnicodeAttribute(hash_key=True)
    GSI3SK = UnicodeAttribute(range_key=True)


class GSI4(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "GSI4"
        projection = AllProjection()

    GSI4PK = UnicodeAttribute(hash_key=True)
    GSI4SK = UnicodeAttribute(range_key=True)


class GSI5(GlobalSecondaryIndex[Any]):
    class Meta:
        index_name = "GSI5"
        projection = AllProjection()

    GSI5PK = UnicodeAttribute(hash_key=True)
    GSI5SK = UnicodeAttribute(range_key=True)


class Item(Model):
    """Base of every item: keys, the five overloaded indexes, ``type`` and timestamps."""

    class Meta:
        table_name = settings().TABLE_NAME
        region = aws.region()

    PK = UnicodeAttribute(hash_key=True)
    SK = UnicodeAttribute(range_key=True)
    type = DiscriminatorAttribute()
    GSI1PK = UnicodeAttribute(null=True)
    GSI1SK = UnicodeAttribute(null=True)
    GSI2PK = UnicodeAttribute(null=True)
    GSI2SK = UnicodeAttribute(null=True)
    GSI3PK = UnicodeAttribute(null=True)
    GSI3SK = UnicodeAttribute(null=True)
    GSI4PK = UnicodeAttribute(null=True)
    GSI4SK = UnicodeAttribute(null=True)
    GSI5PK = UnicodeAttribute(null=True)
    GSI5SK = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute(attr_name="createdAt")
    updated_at = UnicodeAttribute(attr_name="updatedAt")

    gsi1 = GSI1()
    gsi2 = GSI2()
    gsi3 = GSI3()
    gsi4 = GSI4()
    gsi5 = GSI5()

    @classmethod
    def _get_connection(cls) -> TableConnection:
        # pynamodb builds a botocore session and client per model class; hand every
        # model the container's one client instead (one cold client, not ten). Both
        # ``_get_connection`` and ``Connection._client`` are pynamodb internals, pinned by
        # tests/config/test_library_internals.py.
        table = super()._get_connection()
        table.connection._client = aws.client("dynamodb")
        return table


class ExpiringItem(Item):
    """Items DynamoDB may delete after ``expiresAt`` (late: reads check it themselves)."""

    expires_at = NumberAttribute(attr_name="expiresAt", null=True)


def connection() -> Connection:
    conn = Connection(region=aws.region())
    conn._client = aws.client("dynamodb")
    return conn


class ConditionFailed(Exception):
    """A write's condition did not hold; ``label`` names the item that failed."""

    def __init__(self, label: str | None) -> None:
        super().__init__(label or "condition failed")
        self.label = label


def is_condition_failure(exc: PynamoDBException) -> bool:
    return exc.cause_response_code == "ConditionalCheckFailedException"


class Transaction:
    """A TransactWriteItems whose failed condition is reported by label.

    pynamodb orders the actions (checks, deletes, puts, updates) differently from the
    order they were added in; the labels follow that order so a cancellation reason
    points back at the item that caused it. That order is pynamodb's, not a documented
    promise: tests/config/test_library_internals.py pins it.
    """

    MAX_ACTIONS: ClassVar[int] = 100

    def __init__(self) -> None:
        self._tx = TransactWrite(connection=connection())
        self._labels: dict[str, list[str | None]] = {
            "check": [],
            "delete": [],
            "put": [],
            "update": [],
        }

    def __len__(self) -> int:
        return sum(len(v) for v in self._labels.values())

    def put(self, item: Item, condition: Condition | None = None, label: str | None = None) -> None:
        self._tx.save(item, condition=condition)
        self._labels["put"].append(label)

    def update(
        self,
        item: Item,
        actions: list[Action],
        condition: Condition | None = None,
        label: str | None = None,
    ) -> None:
        self._tx.update(item, actions=actions, condition=condition)
        self._labels["update"].append(label)

    def delete(
        self, item: Item, condition: Condition | None = None, label: str | None = None
    ) -> None:
        self._tx.delete(item, condition=condition)
        self._labels["delete"].append(label)

    def check(
        self,
        model: type[Item],
        pk: str,
        sk: str,
        condition: Condition,
        label: str | None = None,
    ) -> None:
        self._tx.condition_check(model, pk, sk, condition=condition)
        self._labels["check"].append(label)

    def commit(self) -> None:
        if len(self) > self.MAX_ACTIONS:
            raise ValueError("a transaction holds at most 100 actions")
        try:
            with self._tx:  # the documented way: TransactWrite commits as its block ends
                pass
        except TransactWriteError as exc:
            ordered = [
                *self._labels["check"],
                *self._labels["delete"],
                *self._labels["put"],
                *self._labels["update"],
            ]
            reasons = exc.cancellation_reasons or []
            for label, reason in zip(ordered, reasons, strict=False):
                if reason is not None and reason.code == "ConditionalCheckFailed":
                    raise ConditionFailed(label) from None
            if any(r is not None and r.code == "TransactionConflict" for r in reasons):
                raise Conflict(
                    "another change to the same data is in progress; retry",
                    code="concurrent_update",
                ) from None
            raise
