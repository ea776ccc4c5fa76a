"""Bodies of the signed-in user's own profile and address book."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from domain.accounts.model import Address, Channel, Preferences, Role, Theme, User, UserStatus
from domain.accounts.services import AddressForm
from handlers.shared.schema import (
    BirthDate,
    CountryCode,
    HttpsUrl,
    Identifier,
    Name,
    Password,
    PatchRequest,
    Phone,
    RequestModel,
    ResponseModel,
    Secret,
    ShortText,
    StrictBool,
)

PostalCode = Annotated[str, StringConstraints(min_length=1, max_length=20)]
Label = Annotated[str, StringConstraints(min_length=1, max_length=40)]


def _past(value: date) -> date:
    if not date(1900, 1, 1) <= value < datetime.now(UTC).date():
        raise ValueError("a date of birth lies between 1900-01-01 and yesterday")
    return value


PastDate = Annotated[BirthDate, AfterValidator(_past)]


class PreferencesBody(RequestModel):
    theme: Theme = Theme.SYSTEM
    notification_channels: Annotated[list[Channel], Field(max_length=2)] = Field(
        default_factory=lambda: [Channel.EMAIL]
    )
    favourite_categories: Annotated[list[Identifier], Field(max_length=20)] = Field(
        default_factory=list
    )

    def to_domain(self) -> Preferences:
        return Preferences(
            theme=self.theme,
            notification_channels=tuple(dict.fromkeys(self.notification_channels)),
            favourite_categories=tuple(dict.fromkeys(self.favourite_categories)),
        )


class PreferencesOut(ResponseModel):
    theme: Theme
    notification_channels: list[Channel]
    favourite_categories: list[str]


class UpdateMeRequest(PatchRequest):
    """Only the fields sent change; ``null`` clears an optional one."""

    # Names and preferences may be changed but not cleared: their type refuses null
    # (pydantic does not validate the default, so "absent" stays possible).
    first_name: Name = Field(default=None)  # type: ignore[assignment]
    last_name: Name = Field(default=None)  # type: ignore[assignment]
    phone: Phone | None = None
    date_of_birth: PastDate | None = None
    avatar_url: HttpsUrl | None = None
    preferences: PreferencesBody = Field(default=None)  # type: ignore[assignment]

    def changes(self) -> dict[str, Any]:
        sent = self.model_dump(exclude_unset=True)
        if "preferences" in sent:
            sent["preferences"] = self.preferences.to_domain()
        return sent


class ChangePasswordRequest(RequestModel):
    current_password: Secret
    new_password: Password


class AddressRequest(RequestModel):
    label: Label | None = None
    full_name: Name
    line1: ShortText
    line2: ShortText | None = None
    city: Name
    region: Name | None = None
    postal_code: PostalCode
    country: CountryCode
    phone: Phone | None = None
    default_shipping: StrictBool = False
    default_billing: StrictBool = False

    def form(self) -> AddressForm:
        fields = self.model_dump(exclude={"default_shipping", "default_billing"})
        return AddressForm(**fields)


class AddressPatch(PatchRequest):
    """Only the fields sent change; ``null`` clears an optional one (not a required one)."""

    label: Label | None = None
    full_name: Name = Field(default=None)  # type: ignore[assignment]
    line1: ShortText = Field(default=None)  # type: ignore[assignment]
    line2: ShortText | None = None
    city: Name = Field(default=None)  # type: ignore[assignment]
    region: Name | None = None
    postal_code: PostalCode = Field(default=None)  # type: ignore[assignment]
    country: CountryCode = Field(default=None)  # type: ignore[assignment]
    phone: Phone | None = None
    # true makes it a default; false (or absent) leaves the defaults as they are
    default_shipping: StrictBool = Field(default=None)  # type: ignore[assignment]
    default_billing: StrictBool = Field(default=None)  # type: ignore[assignment]

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"default_shipping", "default_billing"})


class AddressOut(ResponseModel):
    address_id: str
    label: str | None
    full_name: str
    line1: str
    line2: str | None
    city: str
    region: str | None
    postal_code: str
    country: str
    phone: str | None
    is_default_shipping: bool
    is_default_billing: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, address: Address, user: User) -> AddressOut:
        return cls(
            **{k: v for k, v in address.__dict__.items() if k != "user_id"},
            is_default_shipping=user.default_shipping_address_id == address.address_id,
            is_default_billing=user.default_billing_address_id == address.address_id,
        )


class AddressList(ResponseModel):
    items: list[AddressOut]


class MeOut(ResponseModel):
    user_id: str
    email: str
    first_name: str
    last_name: str
    phone: str | None
    date_of_birth: date | None
    avatar_url: str | None
    role: Role
    status: UserStatus
    preferences: PreferencesOut
    default_shipping_address_id: str | None
    default_billing_address_id: str | None
    addresses: list[AddressOut] | None = None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, user: User, addresses: list[Address] | None = None) -> MeOut:
        return cls(
            user_id=user.user_id,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            phone=user.phone,
            date_of_birth=user.date_of_birth,
            avatar_url=user.avatar_url,
            role=user.role,
            status=user.status,
            preferences=PreferencesOut(
                theme=user.preferences.theme,
                notification_channels=list(user.preferences.notification_channels),
                favourite_categories=list(user.preferences.favourite_categories),
            ),
            default_shipping_address_id=user.default_shipping_address_id,
            default_billing_address_id=user.default_billing_address_id,
            addresses=None
            if addresses is None
            else [AddressOut.of(a, user) for a in sorted(addresses, key=lambda a: a.address_id)],
            created_at=user.created_at,
            updated_at=user.updated_at,
        )
