"""Plain in-memory fakes of the accounts ports (domain/accounts/ports.py).

``FakeAccounts`` keeps the same rules as repositories/accounts/repository.py, in
dictionaries (tests/contract/ holds it to them). It stores and hands out copies, as a
database would, so a service that mutates what it read changes nothing until it writes.
"""

from __future__ import annotations

import base64
import binascii
import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from domain.accounts import services
from domain.accounts.model import (
    MAX_ADDRESSES,
    PROFILE_FIELDS,
    Address,
    Credentials,
    LoginFailures,
    LoginPolicy,
    Page,
    PasswordReset,
    Role,
    Session,
    User,
    UserStatus,
)
from domain.accounts.ports import AccountRepository, Mailer, PasswordHasher, TokenIssuer
from domain.errors import Conflict, InvalidRequest, NotFound
from domain.limits import Check, HitCounter
from domain.paging import UnknownCursor

ADDRESS_FIELDS = frozenset(
    {"label", "full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone"}
)


@dataclass(frozen=True)
class FailureWrite:
    email: str
    failures: LoginFailures
    restart: bool


class FakeAccounts:
    """AccountRepository in memory."""

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.credentials_by_email: dict[str, Credentials] = {}
        self.failures: dict[str, LoginFailures] = {}
        self.sessions: dict[tuple[str, str], Session] = {}
        self.resets: dict[str, PasswordReset] = {}
        self.addresses: dict[tuple[str, str], Address] = {}
        self.failure_writes: list[FailureWrite] = []

    # -- users and credentials -------------------------------------------------------

    def add_user(self, user: User, credentials: Credentials) -> None:
        if credentials.email in self.credentials_by_email:
            raise Conflict("an account with this email already exists", code="email_taken")
        self.credentials_by_email[credentials.email] = copy.deepcopy(credentials)
        self.users[user.user_id] = copy.deepcopy(user)

    def user(self, user_id: str) -> User | None:
        return copy.deepcopy(self.users.get(user_id))

    def credentials(self, email: str) -> Credentials | None:
        return copy.deepcopy(self.credentials_by_email.get(email))

    # -- sign-in ---------------------------------------------------------------------

    def login_state(self, email: str) -> tuple[Credentials | None, LoginFailures | None]:
        return self.credentials(email), copy.deepcopy(self.failures.get(email))

    def record_login_failure(self, email: str, failures: LoginFailures, *, restart: bool) -> None:
        self.failure_writes.append(FailureWrite(email, copy.deepcopy(failures), restart))
        stored = self.failures.get(email)
        if restart or stored is None:
            # (The real repository's ADD on a missing record would count from zero.)
            count = failures.count if restart else 1
            self.failures[email] = LoginFailures(count, failures.window_ends_at)
        else:
            stored.count += 1

    def open_session(self, session: Session, *, clear_failures_of: str | None) -> None:
        self.sessions[(session.user_id, session.session_id)] = copy.deepcopy(session)
        if clear_failures_of is not None:
            self.failures.pop(clear_failures_of, None)

    def user_and_session(self, user_id: str, session_id: str) -> tuple[User | None, Session | None]:
        return self.user(user_id), copy.deepcopy(self.sessions.get((user_id, session_id)))

    def rotate_session(
        self, session: Session, *, new_hash: str, expires_at: datetime, now: datetime
    ) -> bool:
        stored = self.sessions.get((session.user_id, session.session_id))
        if stored is None or stored.token_hash != session.token_hash:
            return False
        stored.token_hash = new_hash
        stored.expires_at = expires_at
        return True

    def end_session(self, user_id: str, session_id: str) -> None:
        self.sessions.pop((user_id, session_id), None)

    # -- passwords -------------------------------------------------------------------

    def save_password_reset(self, reset: PasswordReset) -> None:
        self.resets[reset.token_hash] = copy.deepcopy(reset)

    def password_reset(self, token_hash: str) -> PasswordReset | None:
        return copy.deepcopy(self.resets.get(token_hash))

    def set_password(
        self,
        user: User,
        password_hash: str,
        *,
        revoked_at: datetime,
        keep_session_id: str | None,
        consume_reset: str | None = None,
    ) -> None:
        stored_user = self.users.get(user.user_id)
        credentials = self.credentials_by_email.get(user.email)
        if stored_user is None or credentials is None:
            raise NotFound("no such user", code="user_not_found")
        if consume_reset is not None:
            if consume_reset not in self.resets:
                raise InvalidRequest("the reset link was already used", code="invalid_reset_token")
            del self.resets[consume_reset]
            self.failures.pop(user.email, None)
        credentials.password_hash = password_hash
        stored_user.sessions_revoked_at = revoked_at
        stored_user.updated_at = revoked_at
        if keep_session_id is not None:
            kept = self.sessions.get((user.user_id, keep_session_id))
            if kept is not None:  # signed out meanwhile: nothing to keep
                kept.valid_from = revoked_at

    # -- profile and addresses -------------------------------------------------------

    def user_with_addresses(self, user_id: str) -> tuple[User | None, list[Address]]:
        if user_id not in self.users:
            return None, []
        owned = [a for (owner, _), a in sorted(self.addresses.items()) if owner == user_id]
        return self.user(user_id), copy.deepcopy(owned)

    def update_profile(self, user_id: str, changes: Mapping[str, Any], now: datetime) -> User:
        unknown = set(changes) - PROFILE_FIELDS
        if unknown:
            raise KeyError(f"not profile fields: {sorted(unknown)}")
        stored = self.users.get(user_id)
        if stored is None:
            raise NotFound("no such user", code="user_not_found")
        for name, value in changes.items():
            setattr(stored, name, value)
        stored.updated_at = now
        return copy.deepcopy(stored)

    def add_address(
        self, user: User, address: Address, *, default_shipping: bool, default_billing: bool
    ) -> None:
        stored = self.users.get(user.user_id)
        if stored is None:
            raise NotFound("no such user", code="user_not_found")
        if stored.address_count >= MAX_ADDRESSES:
            raise Conflict(
                f"an account keeps at most {MAX_ADDRESSES} addresses", code="too_many_addresses"
            )
        self.addresses[(user.user_id, address.address_id)] = copy.deepcopy(address)
        stored.address_count += 1
        stored.updated_at = address.created_at
        if default_shipping:
            stored.default_shipping_address_id = address.address_id
        if default_billing:
            stored.default_billing_address_id = address.address_id

    def update_address(
        self,
        user: User,
        address_id: str,
        changes: Mapping[str, Any],
        *,
        default_shipping: bool,
        default_billing: bool,
        now: datetime,
    ) -> Address:
        address = self.addresses.get((user.user_id, address_id))
        if address is None:
            raise NotFound("no such address", code="address_not_found")
        for name, value in changes.items():
            if name in ADDRESS_FIELDS:
                setattr(address, name, value)
        address.updated_at = now
        stored = self.users[user.user_id]
        if default_shipping:
            stored.default_shipping_address_id = address_id
        if default_billing:
            stored.default_billing_address_id = address_id
        if default_shipping or default_billing:
            stored.updated_at = now
        return copy.deepcopy(address)

    def delete_address(self, user: User, address_id: str, now: datetime) -> None:
        if (user.user_id, address_id) not in self.addresses:
            raise NotFound("no such address", code="address_not_found")
        del self.addresses[(user.user_id, address_id)]
        stored = self.users[user.user_id]
        stored.address_count -= 1
        stored.updated_at = now
        # Like the repository: the defaults the caller read are the ones cleared.
        if user.default_shipping_address_id == address_id:
            stored.default_shipping_address_id = None
        if user.default_billing_address_id == address_id:
            stored.default_billing_address_id = None

    # -- administration --------------------------------------------------------------

    def list_users(self, cursor: str | None, limit: int) -> Page[User]:
        newest_first = sorted(
            self.users.values(), key=lambda u: (u.created_at, u.user_id), reverse=True
        )
        start = 0
        if cursor is not None:
            after = _decode_cursor(cursor)
            ids = [u.user_id for u in newest_first]
            if after not in ids:
                raise UnknownCursor()
            start = ids.index(after) + 1
        items = newest_first[start : start + limit]
        more = start + limit < len(newest_first)
        next_cursor = _encode_cursor(items[-1].user_id) if more and items else None
        return Page(copy.deepcopy(items), next_cursor)

    def set_access(
        self,
        user: User,
        *,
        role: Role,
        status: UserStatus,
        revoked_at: datetime | None,
        now: datetime,
    ) -> User:
        stored = self.users.get(user.user_id)
        credentials = self.credentials_by_email.get(user.email)
        if stored is None or credentials is None:
            raise NotFound("no such user", code="user_not_found")
        stored.role, stored.status, stored.updated_at = role, status, now
        if revoked_at is not None:
            stored.sessions_revoked_at = revoked_at
        credentials.role, credentials.status = role, status
        return copy.deepcopy(stored)


def _encode_cursor(user_id: str) -> str:
    return base64.urlsafe_b64encode(user_id.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> str:
    bad = UnknownCursor()
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, binascii.Error, UnicodeError):
        raise bad from None


class FakeHasher:
    """``hashed:<password>``; remembers every check, and the decoy ones (no hash)."""

    PREFIX = "hashed:"

    def __init__(self) -> None:
        self.verify_calls: list[tuple[str, str | None]] = []
        self.decoy_checks = 0

    def hash(self, password: str) -> str:
        return self.PREFIX + password

    def verify(self, password: str, password_hash: str | None) -> bool:
        self.verify_calls.append((password, password_hash))
        if password_hash is None:
            self.decoy_checks += 1  # the real hasher spends one hashing's time here
            return False
        return password_hash == self.PREFIX + password


class FakeTokens:
    """Access tokens that say what they were issued for."""

    ttl_seconds = 900

    def __init__(self) -> None:
        self.issued: list[str] = []

    def issue(self, *, user_id: str, role: Role, session_id: str) -> str:
        token = f"access:{user_id}:{role.value}:{session_id}"
        self.issued.append(token)
        return token


@dataclass(frozen=True)
class SentMail:
    to: str
    subject: str
    text: str


@dataclass
class FakeMailer:
    sent: list[SentMail] = field(default_factory=list)

    def send(self, *, to: str, subject: str, text: str) -> None:
        self.sent.append(SentMail(to, subject, text))


if TYPE_CHECKING:  # mypy checks that the fakes satisfy the ports
    _accounts: AccountRepository = FakeAccounts()
    _hasher: PasswordHasher = FakeHasher()
    _tokens: TokenIssuer = FakeTokens()
    _mailer: Mailer = FakeMailer()


T0 = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


@dataclass
class Shop:
    """The accounts services wired to fresh fakes, with shortcuts for the common calls."""

    accounts: FakeAccounts = field(default_factory=FakeAccounts)
    hasher: FakeHasher = field(default_factory=FakeHasher)
    tokens: FakeTokens = field(default_factory=FakeTokens)
    mailer: FakeMailer = field(default_factory=FakeMailer)
    policy: LoginPolicy = field(default_factory=LoginPolicy)

    def register(
        self,
        email: str = "ada@example.com",
        password: str = PASSWORD,
        *,
        role: Role = Role.CUSTOMER,
        now: datetime = T0,
    ) -> User:
        form = services.Registration(
            email=email, password=password, first_name="Ada", last_name="Lovelace"
        )
        return services.register(
            form, accounts=self.accounts, hasher=self.hasher, role=role, now=now
        )

    def log_in(
        self, email: str = "ada@example.com", password: str = PASSWORD, *, now: datetime = T0
    ) -> services.SignedIn:
        return services.log_in(
            email,
            password,
            accounts=self.accounts,
            hasher=self.hasher,
            tokens=self.tokens,
            policy=self.policy,
            now=now,
        )

    def refresh(self, token: str, *, now: datetime = T0) -> services.SignedIn:
        return services.refresh_session(
            token, accounts=self.accounts, tokens=self.tokens, policy=self.policy, now=now
        )


class FakeHitCounter:
    """``repositories/limits.py: DynamoHitCounter`` in memory: counts per scope, subject
    and window start; all checks counted at once or none (tests/contract/test_limits.py)."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, datetime], int] = {}

    def hit(self, checks: Sequence[Check]) -> Check | None:
        keys = [(c.limit.scope, c.subject, c.window_start) for c in checks]
        for check, key in zip(checks, keys, strict=True):
            if self.counts.get(key, 0) >= check.limit.max:
                return check
        for key in keys:
            self.counts[key] = self.counts.get(key, 0) + 1
        return None


if TYPE_CHECKING:
    _counter: HitCounter = FakeHitCounter()
