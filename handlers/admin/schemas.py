"""Bodies of the admin's user management."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from domain.accounts.model import Role, User, UserStatus
from handlers.shared.schema import PatchRequest, ResponseModel


class UserSummary(ResponseModel):
    user_id: str
    email: str
    first_name: str
    last_name: str
    role: Role
    status: UserStatus
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, user: User) -> UserSummary:
        return cls(**{name: getattr(user, name) for name in cls.model_fields})


class UserPage(ResponseModel):
    items: list[UserSummary]
    next_cursor: str | None


class UpdateUserRequest(PatchRequest):
    """Only the fields sent change; neither may be null."""

    role: Role = Field(default=None)  # type: ignore[assignment]
    status: UserStatus = Field(default=None)  # type: ignore[assignment]
