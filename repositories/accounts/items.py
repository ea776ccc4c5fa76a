"""The accounts' items and their mapping to the domain.

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

from datetime import date, datetime
from typing import Any

from pynamodb.attributes import (
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
)

from domain.accounts.model import (
    PROFILE_FIELDS,
    Address,
    Channel,
    Preferences,
    Role,
    Session,
    Theme,
    User,
    UserStatus,
)
from domain.clock import iso, parse_iso
from repositories import keys
from repositories.table import ExpiringItem, Item


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


# Profile fields a user may change (``domain.accounts.model.PROFILE_FIELDS``), by item
# attribute; ``preferences`` is a map of its own, written whole.
PROFILE_ATTRIBUTES = {
    name: getattr(UserItem, name) for name in sorted(PROFILE_FIELDS - {"preferences"})
}
ADDRESS_FIELDS = (
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


def to_user(item: UserItem) -> User:
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


def preferences_map(prefs: Preferences) -> PreferencesMap:
    return PreferencesMap(
        theme=prefs.theme.value,
        notification_channels=[c.value for c in prefs.notification_channels],
        favourite_categories=list(prefs.favourite_categories),
    )


def to_address(item: AddressItem) -> Address:
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


def to_session(item: SessionItem) -> Session:
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


def user_item(user: User) -> UserItem:
    return UserItem(
        keys.user_pk(user.user_id),
        keys.PROFILE,
        GSI3PK=keys.USERS,
        GSI3SK=keys.time_key(iso(user.created_at), user.user_id),
        user_id=user.user_id,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        phone=user.phone,
        date_of_birth=user.date_of_birth.isoformat() if user.date_of_birth else None,
        avatar_url=user.avatar_url,
        preferences=preferences_map(user.preferences),
        role=user.role.value,
        status=user.status.value,
        address_count=user.address_count,
        created_at=iso(user.created_at),
        updated_at=iso(user.updated_at),
    )
