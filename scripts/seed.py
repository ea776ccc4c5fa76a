"""Demo data for ``make dev``: an admin, a seller and a customer (credentials printed)."""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts.model import Role, UserStatus
from domain.accounts.services import Registration, register, set_user_access
from domain.errors import Conflict


@dataclass(frozen=True)
class DemoUser:
    email: str
    password: str
    first_name: str
    last_name: str
    role: Role


DEMO_USERS = [
    DemoUser("admin@bazaar.local", "admin-password-1", "Ada", "Admin", Role.ADMIN),
    DemoUser("seller@bazaar.local", "seller-password-1", "Sam", "Seller", Role.SELLER),
    DemoUser("customer@bazaar.local", "customer-password-1", "Cleo", "Customer", Role.CUSTOMER),
]


def ensure_user(demo: DemoUser) -> str:
    """Register ``demo`` (or find it) and give it its role; returns the user id."""
    from handlers.shared import wiring

    accounts = wiring.accounts()
    form = Registration(demo.email, demo.password, demo.first_name, demo.last_name)
    try:
        user = register(form, accounts=accounts, hasher=wiring.hasher())
    except Conflict:
        credentials = accounts.credentials(demo.email)
        assert credentials is not None
        user_id = credentials.user_id
    else:
        user_id = user.user_id
    if demo.role is not Role.CUSTOMER:
        existing = accounts.user(user_id)
        assert existing is not None
        if existing.role is not demo.role:
            set_user_access(
                user_id,
                role=demo.role,
                status=UserStatus.ACTIVE,
                acting_admin_id="seed",
                accounts=accounts,
            )
    return user_id


def seed() -> dict[str, str]:
    return {demo.email: ensure_user(demo) for demo in DEMO_USERS}


def describe() -> str:
    width = max(len(d.email) for d in DEMO_USERS)
    lines = [f"  {d.role.value:<9} {d.email:<{width}}  password: {d.password}" for d in DEMO_USERS]
    return "\n".join(lines)
