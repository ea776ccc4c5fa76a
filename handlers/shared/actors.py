"""The verified caller as the catalogue rules see it."""

from __future__ import annotations

from domain.catalog.model import Actor
from handlers.shared.http import Principal


def actor_of(principal: Principal) -> Actor:
    return Actor(user_id=principal.user_id, role=principal.role)


def optional_actor(principal: Principal | None) -> Actor | None:
    return None if principal is None else actor_of(principal)
