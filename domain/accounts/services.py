"""Accounts use cases: register, sign in, refresh, sign out, passwords, profile, addresses.

Each function takes the ports it needs; handlers wire the real adapters, unit tests
plain fakes.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.accounts.model import (
    MAX_ADDRESSES,
    PROFILE_FIELDS,
    Address,
    Credentials,
    LoginFailures,
    LoginPolicy,
    Page,
    PasswordReset,
    RefreshToken,
    Role,
    Session,
    User,
    UserStatus,
    check_password_policy,
    normalise_email,
    same_hash,
    token_hash,
)
from domain.accounts.ports import AccountRepository, Mailer, PasswordHasher, TokenIssuer
from domain.clock import utcnow
from domain.errors import (
    AuthenticationRequired,
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    RuleViolation,
    TooManyRequests,
)
from domain.ids import new_id
from domain.limits import HitCounter, RateLimits, admit, check_for, email_subject


class ResetOutcome(StrEnum):
    """What a reset request did; the client is told none of it."""

    SENT = "sent"
    NO_ACCOUNT = "no_account"
    REFUSED = "refused"  # the address had its reset emails for the window


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    first_name: str
    last_name: str
    phone: str | None = None


@dataclass(frozen=True)
class SignedIn:
    access_token: str
    refresh_token: str
    expires_in: int
    user_id: str
    role: Role


def register(
    form: Registration,
    *,
    accounts: AccountRepository,
    hasher: PasswordHasher,
    role: Role = Role.CUSTOMER,
    now: datetime | None = None,
) -> User:
    """Create a customer account; the email is unique regardless of case."""
    now = now or utcnow()
    check_password_policy(form.password)
    email = normalise_email(form.email)
    user = User(
        user_id=new_id("usr"),
        email=email,
        first_name=form.first_name,
        last_name=form.last_name,
        phone=form.phone,
        role=role,
        status=UserStatus.ACTIVE,
        created_at=now,
        updated_at=now,
    )
    credentials = Credentials(
        email=email,
        user_id=user.user_id,
        password_hash=hasher.hash(form.password),
        role=role,
        status=UserStatus.ACTIVE,
    )
    accounts.add_user(user, credentials)
    return user


def _invalid_credentials() -> AuthenticationRequired:
    return AuthenticationRequired("email or password is wrong", code="invalid_credentials")


def log_in(
    email: str,
    password: str,
    *,
    accounts: AccountRepository,
    hasher: PasswordHasher,
    tokens: TokenIssuer,
    policy: LoginPolicy,
    now: datetime | None = None,
) -> SignedIn:
    """Check the password and open a refresh session.

    A wrong email and a wrong password are one answer after the same work (one bcrypt
    check, one counter write), so the response says nothing about which accounts exist.
    """
    now = now or utcnow()
    email = normalise_email(email)
    credentials, failures = accounts.login_state(email)
    if failures is not None and failures.locked(now, policy.max_failures):
        raise TooManyRequests(
            "too many failed sign-ins for this email; try again later",
            retry_after=failures.seconds_left(now),
            code="login_locked",
        )
    hash_ = credentials.password_hash if credentials else None
    if not hasher.verify(password, hash_) or credentials is None:
        restart = failures is None or now >= failures.window_ends_at
        counted = LoginFailures(
            count=1 if restart else failures.count + 1,  # type: ignore[union-attr]
            window_ends_at=now + policy.window if restart else failures.window_ends_at,  # type: ignore[union-attr]
        )
        accounts.record_login_failure(email, counted, restart=restart)
        raise _invalid_credentials()
    if credentials.status is not UserStatus.ACTIVE:
        raise Forbidden("this account is disabled", code="account_disabled")
    refresh = RefreshToken.new(credentials.user_id, new_id("ses"))
    session = Session(
        user_id=credentials.user_id,
        session_id=refresh.session_id,
        token_hash=token_hash(refresh.secret),
        valid_from=now,
        expires_at=now + policy.refresh_ttl,
        created_at=now,
    )
    accounts.open_session(session, clear_failures_of=email if failures else None)
    return SignedIn(
        access_token=tokens.issue(
            user_id=credentials.user_id, role=credentials.role, session_id=session.session_id
        ),
        refresh_token=str(refresh),
        expires_in=tokens.ttl_seconds,
        user_id=credentials.user_id,
        role=credentials.role,
    )


def refresh_session(
    token: str,
    *,
    accounts: AccountRepository,
    tokens: TokenIssuer,
    policy: LoginPolicy,
    now: datetime | None = None,
) -> SignedIn:
    """Rotate a refresh token. Presenting a superseded token revokes the whole session."""
    now = now or utcnow()
    parsed = RefreshToken.parse(token)
    invalid = AuthenticationRequired("the refresh token is not valid", code="invalid_refresh_token")
    if parsed is None:
        raise invalid
    user, session = accounts.user_and_session(parsed.user_id, parsed.session_id)
    if session is None or session.expires_at <= now:
        raise invalid
    if not same_hash(token_hash(parsed.secret), session.token_hash):
        accounts.end_session(parsed.user_id, parsed.session_id)
        raise AuthenticationRequired(
            "this refresh token was already used; the session is revoked",
            code="refresh_token_reused",
        )
    revoked = user is not None and user.sessions_revoked_at is not None
    if (
        user is None
        or user.status is not UserStatus.ACTIVE
        or (
            revoked and session.valid_from < user.sessions_revoked_at  # type: ignore[operator]
        )
    ):
        accounts.end_session(parsed.user_id, parsed.session_id)
        raise AuthenticationRequired("the session has been revoked", code="session_revoked")
    renewed = RefreshToken.new(parsed.user_id, parsed.session_id)
    if not accounts.rotate_session(
        session,
        new_hash=token_hash(renewed.secret),
        expires_at=now + policy.refresh_ttl,
        now=now,
    ):
        # Another request rotated it first: the same token was used twice.
        accounts.end_session(parsed.user_id, parsed.session_id)
        raise AuthenticationRequired(
            "this refresh token was already used; the session is revoked",
            code="refresh_token_reused",
        )
    return SignedIn(
        access_token=tokens.issue(
            user_id=user.user_id, role=user.role, session_id=session.session_id
        ),
        refresh_token=str(renewed),
        expires_in=tokens.ttl_seconds,
        user_id=user.user_id,
        role=user.role,
    )


def log_out(token: str, *, user_id: str, accounts: AccountRepository) -> None:
    """End the session of ``token`` if it is the caller's; idempotent."""
    parsed = RefreshToken.parse(token)
    if parsed is not None and parsed.user_id == user_id:
        accounts.end_session(parsed.user_id, parsed.session_id)


def request_password_reset(
    email: str,
    *,
    accounts: AccountRepository,
    mailer: Mailer,
    reset_url: str,
    policy: LoginPolicy,
    now: datetime | None = None,
    counter: HitCounter | None = None,
    limits: RateLimits | None = None,
    client: str | None = None,
) -> ResetOutcome:
    """Email a single-use reset link when the account exists; silent otherwise.

    With a ``counter``, the request counts against the client's limit (``client``, a
    429 past it) and the address's reset emails (``limits.reset_email``, counted for
    unknown addresses too): past that nothing is read or sent, and the answer is the
    same as for a sent link.
    """
    now = now or utcnow()
    email = normalise_email(email)
    if counter is not None:
        limits = limits or RateLimits()
        address = check_for(limits.reset_email, email_subject(email), now)
        checks = [check_for(limits.forgot, client, now)] if client is not None else []
        if admit([*checks, address], counter=counter, now=now, silent=[address]) is not None:
            return ResetOutcome.REFUSED
    credentials = accounts.credentials(email)
    if credentials is None or credentials.status is not UserStatus.ACTIVE:
        return ResetOutcome.NO_ACCOUNT
    secret = secrets.token_urlsafe(32)
    accounts.save_password_reset(
        PasswordReset(
            token_hash=token_hash(secret),
            user_id=credentials.user_id,
            email=credentials.email,
            expires_at=now + policy.reset_ttl,
        )
    )
    minutes = int(policy.reset_ttl.total_seconds() // 60)
    mailer.send(
        to=credentials.email,
        subject="Reset your Bazaar password",
        text=(
            "Someone asked to reset the password of your Bazaar account.\n\n"
            f"To choose a new password, open this link within {minutes} minutes:\n"
            f"{reset_url}?token={secret}\n\n"
            "If it was not you, ignore this email: your password stays as it is.\n"
        ),
    )
    return ResetOutcome.SENT


def reset_password(
    token: str,
    new_password: str,
    *,
    accounts: AccountRepository,
    hasher: PasswordHasher,
    now: datetime | None = None,
) -> None:
    """Set a new password with a reset token (once), and end every session."""
    now = now or utcnow()
    check_password_policy(new_password)
    reset = accounts.password_reset(token_hash(token))
    if reset is None or reset.expires_at <= now:
        raise InvalidRequest(
            "the reset link is not valid or has expired", code="invalid_reset_token"
        )
    user = accounts.user(reset.user_id)
    if user is None or user.status is not UserStatus.ACTIVE:
        raise InvalidRequest("the reset link is not valid", code="invalid_reset_token")
    accounts.set_password(
        user,
        hasher.hash(new_password),
        revoked_at=now,
        keep_session_id=None,
        consume_reset=reset.token_hash,
    )


def change_password(
    user_id: str,
    current_password: str,
    new_password: str,
    *,
    session_id: str | None,
    accounts: AccountRepository,
    hasher: PasswordHasher,
    now: datetime | None = None,
) -> None:
    """Change the password; every other session of the user ends."""
    now = now or utcnow()
    check_password_policy(new_password)
    user = _existing_user(accounts, user_id)
    credentials = accounts.credentials(user.email)
    if credentials is None or not hasher.verify(current_password, credentials.password_hash):
        raise Forbidden("the current password is wrong", code="wrong_password")
    accounts.set_password(
        user, hasher.hash(new_password), revoked_at=now, keep_session_id=session_id
    )


def _existing_user(accounts: AccountRepository, user_id: str) -> User:
    user = accounts.user(user_id)
    if user is None:
        raise NotFound("no such user", code="user_not_found")
    return user


def profile(user_id: str, *, accounts: AccountRepository) -> tuple[User, list[Address]]:
    user, addresses = accounts.user_with_addresses(user_id)
    if user is None:
        raise NotFound("no such user", code="user_not_found")
    return user, addresses


def update_profile(
    user_id: str,
    changes: Mapping[str, Any],
    *,
    accounts: AccountRepository,
    now: datetime | None = None,
) -> User:
    if not changes:
        raise RuleViolation("nothing to change", code="empty_update")
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise RuleViolation(f"not profile fields: {sorted(unknown)}", code="unknown_field")
    return accounts.update_profile(user_id, changes, now or utcnow())


@dataclass(frozen=True)
class AddressForm:
    full_name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str | None = None
    region: str | None = None
    phone: str | None = None
    label: str | None = None


def add_address(
    user_id: str,
    form: AddressForm,
    *,
    default_shipping: bool,
    default_billing: bool,
    accounts: AccountRepository,
    now: datetime | None = None,
) -> tuple[User, Address]:
    """Add an address; the first one becomes the default for shipping and billing."""
    now = now or utcnow()
    user = _existing_user(accounts, user_id)
    if user.address_count >= MAX_ADDRESSES:
        raise Conflict(
            f"an account keeps at most {MAX_ADDRESSES} addresses", code="too_many_addresses"
        )
    address = Address(
        address_id=new_id("adr"),
        user_id=user_id,
        created_at=now,
        updated_at=now,
        **form.__dict__,
    )
    shipping = default_shipping or user.default_shipping_address_id is None
    billing = default_billing or user.default_billing_address_id is None
    accounts.add_address(user, address, default_shipping=shipping, default_billing=billing)
    if shipping:
        user.default_shipping_address_id = address.address_id
    if billing:
        user.default_billing_address_id = address.address_id
    return user, address


def update_address(
    user_id: str,
    address_id: str,
    changes: Mapping[str, Any],
    *,
    default_shipping: bool | None,
    default_billing: bool | None,
    accounts: AccountRepository,
    now: datetime | None = None,
) -> tuple[User, Address]:
    """Change the fields in ``changes``; ``True`` makes the address a default, ``False``
    (it is not made one) or ``None`` (not sent) leave the defaults as they are."""
    now = now or utcnow()
    if not changes and default_shipping is None and default_billing is None:
        raise RuleViolation("nothing to change", code="empty_update")
    user = _existing_user(accounts, user_id)
    address = accounts.update_address(
        user,
        address_id,
        changes,
        default_shipping=bool(default_shipping),
        default_billing=bool(default_billing),
        now=now,
    )
    if default_shipping:
        user.default_shipping_address_id = address_id
    if default_billing:
        user.default_billing_address_id = address_id
    return user, address


def delete_address(
    user_id: str, address_id: str, *, accounts: AccountRepository, now: datetime | None = None
) -> None:
    user = _existing_user(accounts, user_id)
    accounts.delete_address(user, address_id, now or utcnow())


def list_users(cursor: str | None, limit: int, *, accounts: AccountRepository) -> Page[User]:
    return accounts.list_users(cursor, limit)


def set_user_access(
    user_id: str,
    *,
    role: Role | None,
    status: UserStatus | None,
    acting_admin_id: str,
    accounts: AccountRepository,
    now: datetime | None = None,
) -> User:
    """Change a user's role or status; disabling ends their sessions at once.

    An admin cannot demote or disable themselves, so the shop never loses its last admin
    by accident.
    """
    now = now or utcnow()
    if role is None and status is None:
        raise RuleViolation("nothing to change", code="empty_update")
    user = _existing_user(accounts, user_id)
    if user_id == acting_admin_id and (
        (role is not None and role is not Role.ADMIN) or status is UserStatus.DISABLED
    ):
        raise Conflict("admins cannot demote or disable themselves", code="self_lockout")
    new_status = status or user.status
    revoke = new_status is UserStatus.DISABLED and user.status is not UserStatus.DISABLED
    return accounts.set_access(
        user,
        role=role or user.role,
        status=new_status,
        revoked_at=now if revoke else None,
        now=now,
    )
