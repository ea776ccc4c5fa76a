"""Bodies of the admin's user management."""

from __future__ import annotations

from datetime import datetime

from domain.accounts.model import Role, User, UserStatus
from handlers.shared.schema import RequestModel, ResponseModel


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


class UpdateUserRequest(RequestModel):
    role: Role | None = None
    status: UserStatus | None = None
