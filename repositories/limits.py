"""Rate counters: one item per scope, subject and fixed window (``RATE#…``), with TTL.

A hit is one conditional UpdateItem (ADD 1 while the count is below the limit, or the
item does not exist yet); several hits at once (a reset request counts against its
client and its address) are one TransactWriteItems of those updates. A refused hit
counts nothing. The window's start is in the key, so a new window is a new item and
old ones expire (``expiresAt`` = the window's end; nothing reads them again).
"""

from __future__ import annotations

from collections.abc import Sequence

from pynamodb.attributes import NumberAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from domain.clock import epoch, iso
from domain.limits import Check
from repositories import keys
from repositories.table import ConditionFailed, ExpiringItem, Transaction, is_condition_failure


class RateCounterItem(ExpiringItem, discriminator="RateCounter"):
    hits = NumberAttribute(attr_name="count")


def _item(check: Check) -> RateCounterItem:
    start = epoch(check.window_start)
    return RateCounterItem(keys.rate_pk(check.limit.scope, check.subject, start), keys.RATE)


def _actions(check: Check) -> list[Action]:
    stamp = iso(check.window_start)
    return [
        RateCounterItem.hits.add(1),
        RateCounterItem.type.set(RateCounterItem),  # the discriminator: "RateCounter"
        RateCounterItem.expires_at.set(epoch(check.window_end)),
        RateCounterItem.created_at.set(stamp),  # both: the window's start
        RateCounterItem.updated_at.set(stamp),
    ]


def _condition(check: Check) -> Condition:
    new: Condition = RateCounterItem.PK.does_not_exist()
    below: Condition = RateCounterItem.hits < check.limit.max
    either: Condition = new | below
    return either


class DynamoHitCounter:
    def hit(self, checks: Sequence[Check]) -> Check | None:
        if len(checks) == 1:
            (check,) = checks
            try:
                _item(check).update(actions=_actions(check), condition=_condition(check))
            except UpdateError as exc:
                if is_condition_failure(exc):
                    return check
                raise
            return None
        tx = Transaction()
        for n, check in enumerate(checks):
            tx.update(_item(check), _actions(check), _condition(check), label=str(n))
        try:
            tx.commit()
        except ConditionFailed as failed:
            return checks[int(failed.label or 0)]
        return None
