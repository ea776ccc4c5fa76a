"""What the accounts rules need from the outside world."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from domain.accounts.model import (
    Address,
    Credentials,
    LoginFailures,
    Page,
    PasswordReset,
    Role,
    Session,
    User,
    UserStatus,
)


class AccountRepository(Protocol):
    """Persistence of users, credentials, sessions and resets (repositories/accounts/)."""

    def add_user(self, user: User, credentials: Credentials) -> None:
        """Create both records at once; ``Conflict(email_taken)`` if the email is in use."""

    def login_state(self, email: str) -> tuple[Credentials | None, LoginFailures | None]: ...

    def record_login_failure(self, email: str, failures: LoginFailures, *, restart: bool) -> None:
        """Count one more failure (``restart`` begins a new window)."""

    def open_session(self, session: Session, *, clear_failures_of: str | None) -> None: ...

    def user(self, user_id: str) -> User | None: ...

    def user_with_addresses(self, user_id: str) -> tuple[User | None, list[Address]]: ...

    def user_and_session(
        self, user_id: str, session_id: str
    ) -> tuple[User | None, Session | None]: ...

    def rotate_session(
        self, session: Session, *, new_hash: str, expires_at: datetime, now: datetime
    ) -> bool:
        """Replace the token hash if it is still ``session.token_hash``; False otherwise."""

    def end_session(self, user_id: str, session_id: str) -> None: ...

    def credentials(self, email: str) -> Credentials | None: ...

    def save_password_reset(self, reset: PasswordReset) -> None: ...

    def password_reset(self, token_hash: str) -> PasswordReset | None: ...

    def set_password(
        self,
        user: User,
        password_hash: str,
        *,
        revoked_at: datetime,
        keep_session_id: str | None,
        consume_reset: str | None = None,
    ) -> None:
        """New hash; sessions valid before ``revoked_at`` die (but ``keep_session_id``).
        With ``consume_reset`` the reset record is deleted in the same write, once, and
        the email's failed sign-ins are forgotten."""

    def update_profile(self, user_id: str, changes: Mapping[str, Any], now: datetime) -> User:
        """Apply field changes (None clears); ``NotFound`` if the user is gone."""

    def add_address(
        self, user: User, address: Address, *, default_shipping: bool, default_billing: bool
    ) -> None: ...

    def update_address(
        self,
        user: User,
        address_id: str,
        changes: Mapping[str, Any],
        *,
        default_shipping: bool,
        default_billing: bool,
        now: datetime,
    ) -> Address: ...

    def delete_address(self, user: User, address_id: str, now: datetime) -> None: ...

    def list_users(self, cursor: str | None, limit: int) -> Page[User]: ...

    def set_access(
        self,
        user: User,
        *,
        role: Role,
        status: UserStatus,
        revoked_at: datetime | None,
        now: datetime,
    ) -> User: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password: str, password_hash: str | None) -> bool:
        """Constant-effort check: with no hash it still spends one hashing's time."""


class TokenIssuer(Protocol):
    def issue(self, *, user_id: str, role: Role, session_id: str) -> str: ...

    @property
    def ttl_seconds(self) -> int: ...


class Mailer(Protocol):
    def send(self, *, to: str, subject: str, text: str) -> None: ...
