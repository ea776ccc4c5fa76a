"""Rate limits on the flows a stranger can abuse: fixed windows, counted in the table.

A ``Limit`` admits ``max`` hits per ``subject`` (a client address, a hashed email) in
each window of ``window_seconds``; windows are aligned to the epoch, so a window is named
by its start and a new one starts from zero. ``admit`` counts one hit against each check
(through the ``HitCounter`` port: one conditional write for the lot) and raises
``TooManyRequests`` for the first that was already full, or returns the refused check
when it is a silent one (the per-address reset emails: the answer must not change).

A refused hit is not counted, so a client refused all window long is admitted again as
soon as the next window starts.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from domain.errors import TooManyRequests


@dataclass(frozen=True)
class Limit:
    scope: str  # "login", "register", "forgot", "reset-email": part of the counter's key
    max: int
    window_seconds: int


@dataclass(frozen=True)
class Check:
    """One hit to count: ``subject`` under ``limit``, in the window holding ``now``."""

    limit: Limit
    subject: str
    window_start: datetime

    @property
    def window_end(self) -> datetime:
        return self.window_start + timedelta(seconds=self.limit.window_seconds)

    def seconds_left(self, now: datetime) -> int:
        return max(1, math.ceil((self.window_end - now).total_seconds()))


def check_for(limit: Limit, subject: str, now: datetime) -> Check:
    seconds = int(now.timestamp())
    start = seconds - seconds % limit.window_seconds
    return Check(limit, subject, datetime.fromtimestamp(start, UTC))


class HitCounter(Protocol):
    def hit(self, checks: Sequence[Check]) -> Check | None:
        """Count one hit against every check at once, each only while its window's count
        is below its ``limit.max``; if any is full, count none and return the first full
        one (in the given order)."""


def email_subject(email: str) -> str:
    """A counter's subject for an email address: its SHA-256, so no address is stored
    (or logged) in clear. The email must be normalised first."""
    return hashlib.sha256(email.encode("utf-8")).hexdigest()


def admit(
    checks: Sequence[Check],
    *,
    counter: HitCounter,
    now: datetime,
    silent: Sequence[Check] = (),
) -> Check | None:
    """Count the hits. A full check in ``silent`` is returned (the caller carries on as
    if admitted, without doing the limited thing); any other raises ``TooManyRequests``
    with the seconds until its window ends."""
    refused = counter.hit(checks)
    if refused is None or refused in silent:
        return refused
    raise TooManyRequests(
        "too many requests from this client; try again later",
        retry_after=refused.seconds_left(now),
        code="rate_limited",
    )


@dataclass(frozen=True)
class RateLimits:
    """The shop's limits (defaults as in README's configuration table)."""

    login: Limit = Limit("login", 20, 900)  # sign-ins per client address
    register: Limit = Limit("register", 10, 900)  # registrations per client address
    forgot: Limit = Limit("forgot", 10, 900)  # reset requests per client address
    reset_email: Limit = Limit("reset-email", 3, 3600)  # reset emails per email address


def admit_client(limit: Limit, client: str, *, counter: HitCounter, now: datetime) -> None:
    """Count one request of ``client`` (its address) under ``limit``; 429 past it."""
    admit([check_for(limit, client, now)], counter=counter, now=now)
