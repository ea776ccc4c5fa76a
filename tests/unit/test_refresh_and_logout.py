"""refresh_session rotates and detects reuse; log_out ends only the caller's session."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.accounts import services
from domain.accounts.model import RefreshToken, Role, Session, User, UserStatus
from domain.errors import AuthenticationRequired
from tests.unit.fakes import T0, FakeAccounts, Shop

LATER = T0 + timedelta(minutes=20)


def signed_in_shop() -> tuple[Shop, User, services.SignedIn]:
    shop = Shop()
    user = shop.register()
    return shop, user, shop.log_in()


def session_key(token: str) -> tuple[str, str]:
    parsed = RefreshToken.parse(token)
    assert parsed is not None
    return parsed.user_id, parsed.session_id


def refresh_fails(shop: Shop, token: str, *, now: datetime = LATER) -> str:
    with pytest.raises(AuthenticationRequired) as caught:
        shop.refresh(token, now=now)
    return caught.value.code


def test_refreshing_rotates_the_token_within_the_same_session() -> None:
    shop, user, signed_in = signed_in_shop()
    renewed = shop.refresh(signed_in.refresh_token, now=LATER)
    assert renewed.refresh_token != signed_in.refresh_token
    assert session_key(renewed.refresh_token) == session_key(signed_in.refresh_token)
    assert renewed.user_id == user.user_id
    assert renewed.expires_in == 900
    session = shop.accounts.sessions[session_key(renewed.refresh_token)]
    assert session.expires_at == LATER + shop.policy.refresh_ttl
    assert session.valid_from == T0


def test_the_new_token_refreshes_again() -> None:
    shop, _, signed_in = signed_in_shop()
    renewed = shop.refresh(signed_in.refresh_token, now=LATER)
    again = shop.refresh(renewed.refresh_token, now=LATER + timedelta(minutes=20))
    assert again.refresh_token not in {renewed.refresh_token, signed_in.refresh_token}


def test_reusing_an_old_token_revokes_the_whole_session() -> None:
    shop, _, signed_in = signed_in_shop()
    renewed = shop.refresh(signed_in.refresh_token, now=LATER)
    assert refresh_fails(shop, signed_in.refresh_token) == "refresh_token_reused"
    assert session_key(signed_in.refresh_token) not in shop.accounts.sessions
    assert refresh_fails(shop, renewed.refresh_token) == "invalid_refresh_token"


def test_losing_a_race_to_rotate_counts_as_reuse() -> None:
    class RotatedMeanwhile(FakeAccounts):
        """Another request rotates the session between our read and our write."""

        def user_and_session(
            self, user_id: str, session_id: str
        ) -> tuple[User | None, Session | None]:
            read = super().user_and_session(user_id, session_id)
            self.sessions[(user_id, session_id)].token_hash = "rotated by someone else"
            return read

    shop = Shop(accounts=RotatedMeanwhile())
    shop.register()
    token = shop.log_in().refresh_token
    assert refresh_fails(shop, token) == "refresh_token_reused"
    assert session_key(token) not in shop.accounts.sessions


@pytest.mark.parametrize(
    "token",
    [
        "",
        "usr_1.ses_1",
        "usr_1.ses_1.secret.extra",
        "usr_1..secret",
        "abc_1.ses_1.secret",
        "usr_1.xyz_1.secret",
        "usr_1.ses_1." + "s" * 200,
    ],
)
def test_malformed_tokens_are_invalid(token: str) -> None:
    shop, _, _ = signed_in_shop()
    assert refresh_fails(shop, token) == "invalid_refresh_token"


def test_a_long_version_of_a_real_token_is_invalid() -> None:
    shop, _, signed_in = signed_in_shop()
    padded = signed_in.refresh_token + "x" * (201 - len(signed_in.refresh_token))
    assert refresh_fails(shop, padded) == "invalid_refresh_token"
    assert session_key(signed_in.refresh_token) in shop.accounts.sessions


def test_a_well_formed_token_of_no_session_is_invalid() -> None:
    shop, user, _ = signed_in_shop()
    token = str(RefreshToken.new(user.user_id, "ses_NOSUCHSESSION"))
    assert refresh_fails(shop, token) == "invalid_refresh_token"


def test_an_expired_session_is_invalid() -> None:
    shop, _, signed_in = signed_in_shop()
    expires = T0 + shop.policy.refresh_ttl
    assert refresh_fails(shop, signed_in.refresh_token, now=expires) == "invalid_refresh_token"


def test_a_session_just_before_expiry_still_refreshes() -> None:
    shop, _, signed_in = signed_in_shop()
    expires = T0 + shop.policy.refresh_ttl
    assert shop.refresh(signed_in.refresh_token, now=expires - timedelta(seconds=1))


def test_a_disabled_users_session_is_revoked_and_ended() -> None:
    shop, user, signed_in = signed_in_shop()
    shop.accounts.users[user.user_id].status = UserStatus.DISABLED
    assert refresh_fails(shop, signed_in.refresh_token) == "session_revoked"
    assert session_key(signed_in.refresh_token) not in shop.accounts.sessions


def test_a_deleted_users_session_is_revoked() -> None:
    shop, user, signed_in = signed_in_shop()
    del shop.accounts.users[user.user_id]
    assert refresh_fails(shop, signed_in.refresh_token) == "session_revoked"


def test_a_session_older_than_the_users_revocation_is_revoked() -> None:
    shop, user, signed_in = signed_in_shop()
    shop.accounts.users[user.user_id].sessions_revoked_at = T0 + timedelta(seconds=1)
    assert refresh_fails(shop, signed_in.refresh_token) == "session_revoked"
    assert session_key(signed_in.refresh_token) not in shop.accounts.sessions


def test_a_session_begun_at_or_after_the_revocation_survives_it() -> None:
    shop, user, signed_in = signed_in_shop()
    shop.accounts.users[user.user_id].sessions_revoked_at = T0
    assert shop.refresh(signed_in.refresh_token, now=LATER).user_id == user.user_id


def test_the_new_access_token_carries_the_users_current_role() -> None:
    shop, user, signed_in = signed_in_shop()
    admin = shop.register("boss@example.com", role=Role.ADMIN)
    services.set_user_access(
        user.user_id,
        role=Role.SELLER,
        status=None,
        acting_admin_id=admin.user_id,
        accounts=shop.accounts,
        now=T0 + timedelta(minutes=1),
    )
    renewed = shop.refresh(signed_in.refresh_token, now=LATER)
    assert renewed.role is Role.SELLER
    _, session_id = session_key(renewed.refresh_token)
    assert renewed.access_token == f"access:{user.user_id}:seller:{session_id}"


# -- log_out -------------------------------------------------------------------------


def test_logging_out_ends_only_that_session() -> None:
    shop, user, first = signed_in_shop()
    second = shop.log_in(now=T0 + timedelta(seconds=1))
    services.log_out(first.refresh_token, user_id=user.user_id, accounts=shop.accounts)
    assert session_key(first.refresh_token) not in shop.accounts.sessions
    assert refresh_fails(shop, first.refresh_token) == "invalid_refresh_token"
    assert shop.refresh(second.refresh_token, now=LATER).user_id == user.user_id


def test_another_users_token_is_ignored() -> None:
    shop, user, _ = signed_in_shop()
    shop.register("eve@example.com")
    eves = shop.log_in("eve@example.com")
    services.log_out(eves.refresh_token, user_id=user.user_id, accounts=shop.accounts)
    assert session_key(eves.refresh_token) in shop.accounts.sessions
    assert shop.refresh(eves.refresh_token, now=LATER).user_id == eves.user_id


def test_logging_out_twice_or_with_garbage_is_harmless() -> None:
    shop, user, signed_in = signed_in_shop()
    services.log_out(signed_in.refresh_token, user_id=user.user_id, accounts=shop.accounts)
    services.log_out(signed_in.refresh_token, user_id=user.user_id, accounts=shop.accounts)
    services.log_out("not a token", user_id=user.user_id, accounts=shop.accounts)
    assert shop.accounts.sessions == {}
