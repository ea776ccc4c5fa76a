"""Request and response bodies of the sign-in operations."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from domain.accounts.model import Role, User
from handlers.shared.schema import (
    Email,
    Name,
    Password,
    Phone,
    RequestModel,
    ResponseModel,
    Secret,
)


class RegisterRequest(RequestModel):
    email: Email
    password: Password
    first_name: Name
    last_name: Name
    phone: Phone | None = None


class RegisteredUser(ResponseModel):
    user_id: str
    email: str
    first_name: str
    last_name: str
    role: Role
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> RegisteredUser:
        return cls(
            user_id=user.user_id,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            role=user.role,
            created_at=user.created_at,
        )


class LoginRequest(RequestModel):
    email: Email
    password: Secret


class Tokens(ResponseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int
    user_id: str
    role: Role


class RefreshRequest(RequestModel):
    refresh_token: Secret


class ForgotPasswordRequest(RequestModel):
    email: Email


class ResetPasswordRequest(RequestModel):
    token: Secret
    new_password: Password


class Accepted(ResponseModel):
    detail: str
