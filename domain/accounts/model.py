"""Accounts: users, their credentials, sign-in sessions, addresses."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

# Role, Page and the email/password rules live in light modules of their own (every
# function needs them, few need the rest of this one); they are re-exported here.
from domain.access import Role
from domain.accounts.rules import (
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    check_email,
    check_password_policy,
    normalise_email,
)
from domain.paging import Page

__all__ = [
    "MAX_ADDRESSES",
    "PASSWORD_MAX_LENGTH",
    "PASSWORD_MIN_LENGTH",
    "Address",
    "Channel",
    "Credentials",
    "LoginFailures",
    "LoginPolicy",
    "Page",
    "PasswordReset",
    "Preferences",
    "RefreshToken",
    "Role",
    "Session",
    "Theme",
    "User",
    "UserStatus",
    "check_email",
    "check_password_policy",
    "normalise_email",
    "same_hash",
    "token_hash",
]


class UserStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


MAX_ADDRESSES = 20
# The profile fields a user may change (``update_profile``); the repository and the HTTP
# schema are held to these names by tests/unit/test_one_place.py.
PROFILE_FIELDS = frozenset(
    {"first_name", "last_name", "phone", "date_of_birth", "avatar_url", "preferences"}
)


def token_hash(secret: str) -> str:
    """Refresh and reset tokens are stored only as their SHA-256."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


@dataclass(frozen=True)
class Preferences:
    theme: Theme = Theme.SYSTEM
    notification_channels: tuple[Channel, ...] = (Channel.EMAIL,)
    favourite_categories: tuple[str, ...] = ()


@dataclass
class User:
    user_id: str
    email: str
    first_name: str
    last_name: str
    role: Role
    status: UserStatus
    created_at: datetime
    updated_at: datetime
    phone: str | None = None
    date_of_birth: date | None = None
    avatar_url: str | None = None
    preferences: Preferences = field(default_factory=Preferences)
    default_shipping_address_id: str | None = None
    default_billing_address_id: str | None = None
    address_count: int = 0
    sessions_revoked_at: datetime | None = None


@dataclass
class Credentials:
    """The sign-in record, keyed by email: uniqueness, login and lock-out in one read."""

    email: str
    user_id: str
    password_hash: str
    role: Role
    status: UserStatus


@dataclass
class LoginFailures:
    """Failed sign-ins for one email within a window (expires with the window)."""

    count: int
    window_ends_at: datetime

    def locked(self, now: datetime, max_failures: int) -> bool:
        return now < self.window_ends_at and self.count >= max_failures

    def seconds_left(self, now: datetime) -> int:
        return max(1, math.ceil((self.window_ends_at - now).total_seconds()))


@dataclass
class Session:
    """A refresh session. ``valid_from`` is compared with the user's revocation time."""

    user_id: str
    session_id: str
    token_hash: str
    valid_from: datetime
    expires_at: datetime
    created_at: datetime


@dataclass
class RefreshToken:
    """``<userId>.<sessionId>.<secret>``: opaque to clients, locatable by the server."""

    user_id: str
    session_id: str
    secret: str

    def __str__(self) -> str:
        return f"{self.user_id}.{self.session_id}.{self.secret}"

    @classmethod
    def new(cls, user_id: str, session_id: str) -> RefreshToken:
        return cls(user_id, session_id, secrets.token_urlsafe(32))

    @classmethod
    def parse(cls, text: str) -> RefreshToken | None:
        parts = text.split(".")
        if len(parts) != 3 or not all(parts) or len(text) > 200:
            return None
        user_id, session_id, secret = parts
        if not user_id.startswith("usr_") or not session_id.startswith("ses_"):
            return None
        return cls(user_id, session_id, secret)


@dataclass
class PasswordReset:
    token_hash: str
    user_id: str
    email: str
    expires_at: datetime


@dataclass
class Address:
    address_id: str
    user_id: str
    full_name: str
    line1: str
    city: str
    postal_code: str
    country: str
    created_at: datetime
    updated_at: datetime
    line2: str | None = None
    region: str | None = None
    phone: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    refresh_ttl: timedelta = timedelta(days=30)
    reset_ttl: timedelta = timedelta(hours=1)
