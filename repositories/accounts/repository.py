"""``DynamoAccounts``: users, credentials, sessions, resets and addresses (the items are
in ``repositories/accounts/items.py``, the keys in ``repositories/keys.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from pynamodb.exceptions import PutError, UpdateError
from pynamodb.expressions.update import Action

from domain.accounts.model import (
    MAX_ADDRESSES,
    Address,
    Credentials,
    LoginFailures,
    Page,
    PasswordReset,
    Role,
    Session,
    User,
    UserStatus,
)
from domain.clock import epoch, iso, parse_iso
from domain.errors import Conflict, InvalidRequest, NotFound
from repositories import keys
from repositories.accounts.items import (
    ADDRESS_FIELDS,
    PROFILE_ATTRIBUTES,
    AddressItem,
    CredentialsItem,
    LoginFailuresItem,
    PasswordResetItem,
    SessionItem,
    UserItem,
    preferences_map,
    to_address,
    to_session,
    to_user,
    user_item,
)
from repositories.cursors import GSI3_KEYS, decode_cursor, take_page
from repositories.table import ConditionFailed, Item, Transaction, is_condition_failure


class DynamoAccounts:
    """AccountRepository on the single table."""

    def add_user(self, user: User, credentials: Credentials) -> None:
        stamp = iso(user.created_at)
        tx = Transaction()
        tx.put(
            CredentialsItem(
                keys.email_pk(credentials.email),
                keys.CREDENTIALS,
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
        tx.put(user_item(user), condition=UserItem.PK.does_not_exist(), label="profile")
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
        for item in Item.query(keys.email_pk(email)):
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
                LoginFailuresItem(keys.email_pk(email), keys.LOGIN_FAILURES).update(
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
            keys.email_pk(email),
            keys.LOGIN_FAILURES,
            failures=failures.count,
            window_ends_at=stamp,
            expires_at=epoch(failures.window_ends_at),
            created_at=stamp,
            updated_at=stamp,
        ).save()

    def open_session(self, session: Session, *, clear_failures_of: str | None) -> None:
        item = SessionItem(
            keys.user_pk(session.user_id),
            keys.session_sk(session.session_id),
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
        tx.delete(LoginFailuresItem(keys.email_pk(clear_failures_of), keys.LOGIN_FAILURES))
        tx.commit()

    def user(self, user_id: str) -> User | None:
        try:
            return to_user(UserItem.get(keys.user_pk(user_id), keys.PROFILE))
        except UserItem.DoesNotExist:
            return None

    def user_with_addresses(self, user_id: str) -> tuple[User | None, list[Address]]:
        user: User | None = None
        addresses: list[Address] = []
        for item in Item.query(keys.user_pk(user_id), Item.SK.startswith(keys.PROFILE)):
            if isinstance(item, UserItem):
                user = to_user(item)
            elif isinstance(item, AddressItem):
                addresses.append(to_address(item))
        return user, addresses

    def user_and_session(self, user_id: str, session_id: str) -> tuple[User | None, Session | None]:
        user: User | None = None
        session: Session | None = None
        for item in Item.batch_get(
            [
                (keys.user_pk(user_id), keys.PROFILE),
                (keys.user_pk(user_id), keys.session_sk(session_id)),
            ]
        ):
            if isinstance(item, UserItem):
                user = to_user(item)
            elif isinstance(item, SessionItem):
                session = to_session(item)
        return user, session

    def rotate_session(
        self, session: Session, *, new_hash: str, expires_at: datetime, now: datetime
    ) -> bool:
        item = SessionItem(keys.user_pk(session.user_id), keys.session_sk(session.session_id))
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
        SessionItem(keys.user_pk(user_id), keys.session_sk(session_id)).delete()

    def credentials(self, email: str) -> Credentials | None:
        try:
            item = CredentialsItem.get(keys.email_pk(email), keys.CREDENTIALS)
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
            keys.reset_pk(reset.token_hash),
            keys.RESET,
            user_id=reset.user_id,
            email=reset.email,
            expires_at=epoch(reset.expires_at),
            created_at=stamp,
            updated_at=stamp,
        ).save()

    def password_reset(self, token_hash: str) -> PasswordReset | None:
        try:
            item = PasswordResetItem.get(keys.reset_pk(token_hash), keys.RESET)
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
                CredentialsItem(keys.email_pk(user.email), keys.CREDENTIALS),
                actions=[
                    CredentialsItem.password_hash.set(password_hash),
                    CredentialsItem.updated_at.set(stamp),
                ],
                condition=CredentialsItem.PK.exists(),
                label="credentials",
            )
            tx.update(
                UserItem(keys.user_pk(user.user_id), keys.PROFILE),
                actions=[UserItem.sessions_revoked_at.set(stamp), UserItem.updated_at.set(stamp)],
                condition=UserItem.PK.exists(),
                label="profile",
            )
            if keep is not None:
                tx.update(
                    SessionItem(keys.user_pk(user.user_id), keys.session_sk(keep)),
                    actions=[SessionItem.valid_from.set(stamp)],
                    condition=SessionItem.PK.exists(),
                    label="session",
                )
            if consume_reset is not None:
                tx.delete(
                    PasswordResetItem(keys.reset_pk(consume_reset), keys.RESET),
                    condition=PasswordResetItem.PK.exists(),
                    label="reset",
                )
                # Proving control of the mailbox also lifts a lock-out.
                tx.delete(LoginFailuresItem(keys.email_pk(user.email), keys.LOGIN_FAILURES))
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
                actions.append(UserItem.preferences.set(preferences_map(value)))
                continue
            attribute = PROFILE_ATTRIBUTES[name]
            if value is None:
                actions.append(attribute.remove())
            else:
                stored = value.isoformat() if isinstance(value, date) else value
                actions.append(attribute.set(stored))
        actions.append(UserItem.updated_at.set(iso(now)))
        item = UserItem(keys.user_pk(user_id), keys.PROFILE)
        try:
            item.update(actions=actions, condition=UserItem.PK.exists())
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound("no such user", code="user_not_found") from None
            raise
        return to_user(item)

    def add_address(
        self, user: User, address: Address, *, default_shipping: bool, default_billing: bool
    ) -> None:
        stamp = iso(address.created_at)
        tx = Transaction()
        tx.put(
            AddressItem(
                keys.user_pk(user.user_id),
                keys.address_sk(address.address_id),
                address_id=address.address_id,
                user_id=user.user_id,
                created_at=stamp,
                updated_at=stamp,
                **{name: getattr(address, name) for name in ADDRESS_FIELDS},
            ),
            condition=AddressItem.PK.does_not_exist(),
        )
        actions: list[Action] = [UserItem.address_count.add(1), UserItem.updated_at.set(stamp)]
        if default_shipping:
            actions.append(UserItem.default_shipping.set(address.address_id))
        if default_billing:
            actions.append(UserItem.default_billing.set(address.address_id))
        tx.update(
            UserItem(keys.user_pk(user.user_id), keys.PROFILE),
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
            item = AddressItem.get(keys.user_pk(user.user_id), keys.address_sk(address_id))
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
                    UserItem(keys.user_pk(user.user_id), keys.PROFILE),
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
        return to_address(item)

    def delete_address(self, user: User, address_id: str, now: datetime) -> None:
        stamp = iso(now)
        actions: list[Action] = [UserItem.address_count.add(-1), UserItem.updated_at.set(stamp)]
        if user.default_shipping_address_id == address_id:
            actions.append(UserItem.default_shipping.remove())
        if user.default_billing_address_id == address_id:
            actions.append(UserItem.default_billing.remove())
        tx = Transaction()
        tx.delete(
            AddressItem(keys.user_pk(user.user_id), keys.address_sk(address_id)),
            condition=AddressItem.PK.exists(),
            label="address",
        )
        tx.update(
            UserItem(keys.user_pk(user.user_id), keys.PROFILE),
            actions=actions,
            condition=UserItem.PK.exists(),
        )
        try:
            tx.commit()
        except ConditionFailed:
            raise NotFound("no such address", code="address_not_found") from None

    def list_users(self, cursor: str | None, limit: int) -> Page[User]:
        results = UserItem.gsi3.query(
            keys.USERS,
            scan_index_forward=False,
            limit=limit,
            page_size=limit,
            last_evaluated_key=decode_cursor(cursor, GSI3_KEYS, keys.USERS),
        )
        items, next_cursor = take_page(results, limit)
        return Page([to_user(i) for i in items], next_cursor)

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
            UserItem(keys.user_pk(user.user_id), keys.PROFILE),
            actions=profile_actions,
            condition=UserItem.PK.exists(),
        )
        tx.update(
            CredentialsItem(keys.email_pk(user.email), keys.CREDENTIALS),
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
