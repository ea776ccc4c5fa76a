"""Users, credentials, sessions, resets and addresses in the single table.

| item            | PK                 | SK                     | notes                       |
|-----------------|--------------------|------------------------|-----------------------------|
| credentials     | EMAIL#<email>      | CREDENTIALS            | uniqueness + login read     |
| login failures  | EMAIL#<email>      | LOGINFAILURES          | counter, expires            |
| user profile    | USER#<userId>      | PROFILE                | GSI3 USERS / createdAt#id   |
| address         | USER#<userId>      | PROFILE#ADDRESS#<id>   | read with the profile       |
| refresh session | USER#<userId>      | SESSION#<sessionId>    | hashed token, expires       |
| password reset  | RESET#<sha256>     | RESET                  | single use, expires         |
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.expressions.update import Action

from domain.accounts.model import (
    MAX_ADDRESSES,
    Address,
    Channel,
    Credentials,
    LoginFailures,
    Page,
    PasswordReset,
    Preferences,
    Role,
    Session,
    Theme,
    User,
    UserStatus,
)
from domain.clock import epoch, iso, parse_iso
from domain.errors import Conflict, InvalidRequest, NotFound
from repositories.table import (
    GSI3_KEYS,
    ConditionFailed,
    ExpiringItem,
    Item,
    Transaction,
    decode_cursor,
    is_condition_failure,
    take_page,
)

USERS_PARTITION = "USERS"


def email_pk(email: str) -> str:
    return f"EMAIL#{email}"


def user_pk(user_id: str) -> str:
    return f"USER#{user_id}"


def address_sk(address_id: str) -> str:
    return f"PROFILE#ADDRESS#{address_id}"


def session_sk(session_id: str) -> str:
    return f"SESSION#{session_id}"


class CredentialsItem(Item, discriminator="Credentials"):
    user_id = UnicodeAttribute(attr_name="userId")
    password_hash = UnicodeAttribute(attr_name="passwordHash")
    role = UnicodeAttribute()
    status = UnicodeAttribute()


class LoginFailuresItem(ExpiringItem, discriminator="LoginFailures"):
    failures = NumberAttribute(attr_name="count")
    window_ends_at = UnicodeAttribute(attr_name="windowEndsAt")


class PreferencesMap(MapAttribute[str, Any]):
    theme = UnicodeAttribute(default=Theme.SYSTEM.value)
    notification_channels = ListAttribute[str](
        attr_name="notificationChannels",
        of=UnicodeAttribute,  # type: ignore[arg-type]
        default=list,
    )
    favourite_categories = ListAttribute[str](
        attr_name="favouriteCategories",
        of=UnicodeAttribute,  # type: ignore[arg-type]
        default=list,
    )


class UserItem(Item, discriminator="User"):
    user_id = UnicodeAttribute(attr_name="userId")
    email = UnicodeAttribute()
    first_name = UnicodeAttribute(attr_name="firstName")
    last_name = UnicodeAttribute(attr_name="lastName")
    phone = UnicodeAttribute(null=True)
    date_of_birth = UnicodeAttribute(attr_name="dateOfBirth", null=True)
    avatar_url = UnicodeAttribute(attr_name="avatarUrl", null=True)
    preferences = PreferencesMap(null=True)
    role = UnicodeAttribute()
    status = UnicodeAttribute()
    default_shipping = UnicodeAttribute(attr_name="defaultShippingAddressId", null=True)
    default_billing = UnicodeAttribute(attr_name="defaultBillingAddressId", null=True)
    address_count = NumberAttribute(attr_name="addressCount", default=0)
    sessions_revoked_at = UnicodeAttribute(attr_name="sessionsRevokedAt", null=True)


class AddressItem(Item, discriminator="Address"):
    address_id = UnicodeAttribute(attr_name="addressId")
    user_id = UnicodeAttribute(attr_name="userId")
    label = UnicodeAttribute(null=True)
    full_name = UnicodeAttribute(attr_name="fullName")
    line1 = UnicodeAttribute()
    line2 = UnicodeAttribute(null=True)
    city = UnicodeAttribute()
    region = UnicodeAttribute(null=True)
    postal_code = UnicodeAttribute(attr_name="postalCode")
    country = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)


class SessionItem(ExpiringItem, discriminator="Session"):
    user_id = UnicodeAttribute(attr_name="userId")
    session_id = UnicodeAttribute(attr_name="sessionId")
    token_hash = UnicodeAttribute(attr_name="tokenHash")
    valid_from = UnicodeAttribute(attr_name="validFrom")


class PasswordResetItem(ExpiringItem, discriminator="PasswordReset"):
    user_id = UnicodeAttribute(attr_name="userId")
    email = UnicodeAttribute()


# Profile fields a user may change, domain name -> item attribute.
_PROFILE_FIELDS = {
    "first_name": UserItem.first_name,
    "last_name": UserItem.last_name,
    "phone": UserItem.phone,
    "date_of_birth": UserItem.date_of_birth,
    "avatar_url": UserItem.avatar_url,
}
_ADDRESS_FIELDS = (
    "label",
    "full_name",
    "line1",
    "line2",
    "city",
    "region",
    "postal_code",
    "country",
    "phone",
)


def _user(item: UserItem) -> User:
    prefs = item.preferences
    return User(
        user_id=item.user_id,
        email=item.email,
        first_name=item.first_name,
        last_name=item.last_name,
        phone=item.phone,
        date_of_birth=date.fromisoformat(item.date_of_birth) if item.date_of_birth else None,
        avatar_url=item.avatar_url,
        preferences=Preferences(
            theme=Theme(prefs.theme),
            notification_channels=tuple(Channel(c) for c in prefs.notification_channels),
            favourite_categories=tuple(prefs.favourite_categories),
        )
        if prefs is not None
        else Preferences(),
        role=Role(item.role),
        status=UserStatus(item.status),
        default_shipping_address_id=item.default_shipping,
        default_billing_address_id=item.default_billing,
        address_count=int(item.address_count or 0),
        sessions_revoked_at=parse_iso(item.sessions_revoked_at)
        if item.sessions_revoked_at
        else None,
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
    )


def _preferences_map(prefs: Preferences) -> PreferencesMap:
    return PreferencesMap(
        theme=prefs.theme.value,
        notification_channels=[c.value for c in prefs.notification_channels],
        favourite_categories=list(prefs.favourite_categories),
    )


def _address(item: AddressItem) -> Address:
    return Address(
        address_id=item.address_id,
        user_id=item.user_id,
        label=item.label,
        full_name=item.full_name,
        line1=item.line1,
        line2=item.line2,
        city=item.city,
        region=item.region,
        postal_code=item.postal_code,
        country=item.country,
        phone=item.phone,
        created_at=parse_iso(item.created_at),
        updated_at=parse_iso(item.updated_at),
    )


def _session(item: SessionItem) -> Session:
    return Session(
        user_id=item.user_id,
        session_id=item.session_id,
        token_hash=item.token_hash,
        valid_from=parse_iso(item.valid_from),
        expires_at=datetime.fromtimestamp(
            int(item.expires_at or 0), tz=parse_iso(item.created_at).tzinfo
        ),
        created_at=parse_iso(item.created_at),
    )


def _user_item(user: User) -> UserItem:
    return UserItem(
        user_pk(user.user_id),
        "PROFILE",
        GSI3PK=USERS_PARTITION,
        GSI3SK=f"{iso(user.created_at)}#{user.user_id}",
        user_id=user.user_id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        phone=user.phone,
        date_of_birth=user.date_of_birth.isoformat() if user.date_of_birth else None,
        avatar_url=user.avatar_url,
        preferences=_preferences_map(user.preferences),
        role=user.role.value,
        status=user.status.value,
        address_count=user.address_count,
        created_at=iso(user.created_at),
        updated_at=iso(user.updated_at),
    )


class DynamoAccounts:
    """AccountRepository on the single table."""

    def add_user(self, user: User, credentials: Credentials) -> None:
        stamp = iso(user.created_at)
        tx = Transaction()
        tx.put(
            CredentialsItem(
                email_pk(credentials.email),
                "CREDENTIALS",
                user_id=credentials.user_id,
                password_hash=credentials.password_hash,
                role=credentials.role.value,
                status=credentials.status.value,
                created_at=stamp,
                updated_at=stamp,
            ),
            condition=CredentialsItem.PK.does_not_exist(),
            label="credentials",
        )
        tx.put(_user_item(user), condition=UserItem.PK.does_not_exist(), label="profile")
        try:
            tx.commit()
        except ConditionFailed as failed:
            if failed.label == "credentials":
                raise Conflict(
                    "an account with this email already exists", code="email_taken"
                ) from None
            raise

    def login_state(self, email: str) -> tuple[Credentials | None, LoginFailures | None]:
        credentials: Credentials | None = None
        failures: LoginFailures | None = None
        for item in Item.query(email_pk(email)):
            if isinstance(item, CredentialsItem):
                credentials = Credentials(
                    email=email,
                    user_id=item.user_id,
                    password_hash=item.password_hash,
                    role=Role(item.role),
                    status=UserStatus(item.status),
                )
            elif isinstance(item, LoginFailuresItem):
                failures = LoginFailures(
                    count=int(item.failures), window_ends_at=parse_iso(item.window_ends_at)
                )
        return credentials, failures

    def record_login_failure(self, email: str, failures: LoginFailures, *, restart: bool) -> None:
        if not restart:
            try:
                LoginFailuresItem(email_pk(email), "LOGINFAILURES").update(
                    actions=[LoginFailuresItem.failures.add(1)],
                    condition=LoginFailuresItem.PK.exists(),
                )
                return
            except UpdateError as exc:
                if not is_condition_failure(exc):
                    raise
            # A sign-in cleared the record meanwhile: count this failure afresh (an
            # unconditional ADD would leave a count with no window and no expiry).
            failures = LoginFailures(1, failures.window_ends_at)
        stamp = iso(failures.window_ends_at)
        LoginFailuresItem(
            email_pk(email),
            "LOGINFAILURES",
            failures=failures.count,
            window_ends_at=stamp,
            expires_at=epoch(failures.window_ends_at),
            created_at=stamp,
            updated_at=stamp,
        ).save()

    def open_session(self, session: Session, *, clear_failures_of: str | None) -> None:
        item = SessionItem(
            user_pk(session.user_id),
            session_sk(session.session_id),
            user_id=session.user_id,
            session_id=session.session_id,
            token_hash=session.token_hash,
            valid_from=iso(session.valid_from),
            expires_at=epoch(session.expires_at),
            created_at=iso(session.created_at),
            updated_at=iso(session.created_at),
        )
        if clear_failures_of is None:
            item.save()
            return
        tx = Transaction()
        tx.put(item)
        tx.delete(LoginFailuresItem(email_pk(clear_failures_of), "LOGINFAILURES"))
        tx.commit()

    def user(self, user_id: str) -> User | None:
        try:
            return _user(UserItem.get(user_pk(user_id), "PROFILE"))
        except UserItem.DoesNotExist:
            return None

    def user_with_addresses(self, user_id: str) -> tuple[User | None, list[Address]]:
        user: User | None = None
        addresses: list[Address] = []
        for item in Item.query(user_pk(user_id), Item.SK.startswith("PROFILE")):
            if isinstance(item, UserItem):
                user = _user(item)
            elif isinstance(item, AddressItem):
                addresses.append(_address(item))
        return user, addresses

    def user_and_session(self, user_id: str, session_id: str) -> tuple[User | None, Session | None]:
        user: User | None = None
        session: Session | None = None
        for item in Item.batch_get(
            [(user_pk(user_id), "PROFILE"), (user_pk(user_id), session_sk(session_id))]
        ):
            if isinstance(item, UserItem):
                user = _user(item)
            elif isinstance(item, SessionItem):
                session = _session(item)
        return user, session

    def rotate_session(
        self, session: Session, *, new_hash: str, expires_at: datetime, now: datetime
    ) -> bool:
        item = SessionItem(user_pk(session.user_id), session_sk(session.session_id))
        try:
            item.update(
                actions=[
                    SessionItem.token_hash.set(new_hash),
                    SessionItem.expires_at.set(epoch(expires_at)),
                    SessionItem.updated_at.set(iso(now)),
                ],
                condition=SessionItem.token_hash == session.token_hash,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                return False
            raise
        return True

    def end_session(self, user_id: str, session_id: str) -> None:
        SessionItem(user_pk(user_id), session_sk(session_id)).delete()

    def credentials(self, email: str) -> Credentials | None:
        try:
            item = CredentialsItem.get(email_pk(email), "CREDENTIALS")
        except CredentialsItem.DoesNotExist:
            return None
        return Credentials(
            email=email,
            user_id=item.user_id,
            password_hash=item.password_hash,
            role=Role(item.role),
            status=UserStatus(item.status),
        )

    def save_password_reset(self, reset: PasswordReset) -> None:
        stamp = iso(reset.expires_at)
        PasswordResetItem(
            f"RESET#{reset.token_hash}",
            "RESET",
            user_id=reset.user_id,
            email=reset.email,
            expires_at=epoch(reset.expires_at),
            created_at=stamp,
            updated_at=stamp,
        ).save()

    def password_reset(self, token_hash: str) -> PasswordReset | None:
        try:
            item = PasswordResetItem.get(f"RESET#{token_hash}", "RESET")
        except PasswordResetItem.DoesNotExist:
            return None
        return PasswordReset(
            token_hash=token_hash,
            user_id=item.user_id,
            email=item.email,
            expires_at=datetime.fromtimestamp(
                int(item.expires_at or 0), tz=parse_iso(item.created_at).tzinfo
            ),
        )

    def set_password(
        self,
        user: User,
        password_hash: str,
        *,
        revoked_at: datetime,
        keep_session_id: str | None,
        consume_reset: str | None = None,
    ) -> None:
        def attempt(keep: str | None) -> None:
            stamp = iso(revoked_at)
            tx = Transaction()
            tx.update(
                CredentialsItem(email_pk(user.email), "CREDENTIALS"),
                actions=[
                    CredentialsItem.password_hash.set(password_hash),
                    CredentialsItem.updated_at.set(stamp),
                ],
                condition=CredentialsItem.PK.exists(),
                label="credentials",
            )
            tx.update(
                UserItem(user_pk(user.user_id), "PROFILE"),
                actions=[UserItem.sessions_revoked_at.set(stamp), UserItem.updated_at.set(stamp)],
                condition=UserItem.PK.exists(),
                label="profile",
            )
            if keep is not None:
                tx.update(
                    SessionItem(user_pk(user.user_id), session_sk(keep)),
                    actions=[SessionItem.valid_from.set(stamp)],
                    condition=SessionItem.PK.exists(),
                    label="session",
                )
            if consume_reset is not None:
                tx.delete(
                    PasswordResetItem(f"RESET#{consume_reset}", "RESET"),
                    condition=PasswordResetItem.PK.exists(),
                    label="reset",
                )
                # Proving control of the mailbox also lifts a lock-out.
                tx.delete(LoginFailuresItem(email_pk(user.email), "LOGINFAILURES"))
            tx.commit()

        try:
            attempt(keep_session_id)
        except ConditionFailed as failed:
            if failed.label == "session":
                # The caller's own session is gone (signed out): nothing to keep.
                attempt(None)
            elif failed.label == "reset":
                raise InvalidRequest(
                    "the reset link was already used", code="invalid_reset_token"
                ) from None
            else:
                raise NotFound("no such user", code="user_not_found") from None

    def update_profile(self, user_id: str, changes: Mapping[str, Any], now: datetime) -> User:
        actions: list[Action] = []
        for name, value in changes.items():
            if name == "preferences":
                actions.append(UserItem.preferences.set(_preferences_map(value)))
                continue
            attribute = _PROFILE_FIELDS[name]
            if value is None:
                actions.append(attribute.remove())
            else:
                stored = value.isoformat() if isinstance(value, date) else value
                actions.append(attribute.set(stored))
        actions.append(UserItem.updated_at.set(iso(now)))
        item = UserItem(user_pk(user_id), "PROFILE")
        try:
            item.update(actions=actions, condition=UserItem.PK.exists())
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound("no such user", code="user_not_found") from None
            raise
        return _user(item)

    def add_address(
        self, user: User, address: Address, *, default_shipping: bool, default_billing: bool
    ) -> None:
        stamp = iso(address.created_at)
        tx = Transaction()
        tx.put(
            AddressItem(
                user_pk(user.user_id),
                address_sk(address.address_id),
                address_id=address.address_id,
                user_id=user.user_id,
                created_at=stamp,
                updated_at=stamp,
                **{name: getattr(address, name) for name in _ADDRESS_FIELDS},
            ),
            condition=AddressItem.PK.does_not_exist(),
        )
        actions: list[Action] = [UserItem.address_count.add(1), UserItem.updated_at.set(stamp)]
        if default_shipping:
            actions.append(UserItem.default_shipping.set(address.address_id))
        if default_billing:
            actions.append(UserItem.default_billing.set(address.address_id))
        tx.update(
            UserItem(user_pk(user.user_id), "PROFILE"),
            actions=actions,
            condition=UserItem.PK.exists() & (UserItem.address_count < MAX_ADDRESSES),
            label="profile",
        )
        try:
            tx.commit()
        except ConditionFailed:
            raise Conflict(
                f"an account keeps at most {MAX_ADDRESSES} addresses", code="too_many_addresses"
            ) from None

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
        try:
            item = AddressItem.get(user_pk(user.user_id), address_sk(address_id))
        except AddressItem.DoesNotExist:
            raise NotFound("no such address", code="address_not_found") from None
        stamp = iso(now)
        for name, value in changes.items():
            setattr(item, name, value)
        item.updated_at = stamp
        profile_actions: list[Action] = []
        if default_shipping:
            profile_actions.append(UserItem.default_shipping.set(address_id))
        if default_billing:
            profile_actions.append(UserItem.default_billing.set(address_id))
        try:
            if profile_actions:
                tx = Transaction()
                tx.put(item, condition=AddressItem.PK.exists())
                tx.update(
                    UserItem(user_pk(user.user_id), "PROFILE"),
                    actions=[*profile_actions, UserItem.updated_at.set(stamp)],
                    condition=UserItem.PK.exists(),
                )
                tx.commit()
            else:
                item.save(condition=AddressItem.PK.exists())
        except (ConditionFailed, PutError) as exc:
            if isinstance(exc, PutError) and not is_condition_failure(exc):
                raise
            raise NotFound("no such address", code="address_not_found") from None
        return _address(item)

    def delete_address(self, user: User, address_id: str, now: datetime) -> None:
        stamp = iso(now)
        actions: list[Action] = [UserItem.address_count.add(-1), UserItem.updated_at.set(stamp)]
        if user.default_shipping_address_id == address_id:
            actions.append(UserItem.default_shipping.remove())
        if user.default_billing_address_id == address_id:
            actions.append(UserItem.default_billing.remove())
        tx = Transaction()
        tx.delete(
            AddressItem(user_pk(user.user_id), address_sk(address_id)),
            condition=AddressItem.PK.exists(),
            label="address",
        )
        tx.update(
            UserItem(user_pk(user.user_id), "PROFILE"),
            actions=actions,
            condition=UserItem.PK.exists(),
        )
        try:
            tx.commit()
        except ConditionFailed:
            raise NotFound("no such address", code="address_not_found") from None

    def list_users(self, cursor: str | None, limit: int) -> Page[User]:
        results = UserItem.gsi3.query(
            USERS_PARTITION,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI3_KEYS, USERS_PARTITION),
        )
        items, next_cursor = take_page(results, limit)
        return Page([_user(i) for i in items], next_cursor)

    def set_access(
        self,
        user: User,
        *,
        role: Role,
        status: UserStatus,
        revoked_at: datetime | None,
        now: datetime,
    ) -> User:
        stamp = iso(now)
        profile_actions: list[Action] = [
            UserItem.role.set(role.value),
            UserItem.status.set(status.value),
            UserItem.updated_at.set(stamp),
        ]
        if revoked_at is not None:
            profile_actions.append(UserItem.sessions_revoked_at.set(iso(revoked_at)))
        tx = Transaction()
        tx.update(
            UserItem(user_pk(user.user_id), "PROFILE"),
            actions=profile_actions,
            condition=UserItem.PK.exists(),
        )
        tx.update(
            CredentialsItem(email_pk(user.email), "CREDENTIALS"),
            actions=[
                CredentialsItem.role.set(role.value),
                CredentialsItem.status.set(status.value),
                CredentialsItem.updated_at.set(stamp),
            ],
            condition=CredentialsItem.PK.exists(),
        )
        try:
            tx.commit()
        except ConditionFailed:
            raise NotFound("no such user", code="user_not_found") from None
        user.role, user.status, user.updated_at = role, status, now
        if revoked_at is not None:
            user.sessions_revoked_at = revoked_at
        return user
