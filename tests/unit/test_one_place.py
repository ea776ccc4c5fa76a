"""Facts that live in several layers agree: the HTTP schema, the domain and the repository.

Edits work because the names line up: a pydantic patch field, the domain's editable
field and the repository's map entry carry the same name. A field added to one and not
the others fails here, not in production.
"""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from domain.accounts.model import PROFILE_FIELDS
from domain.catalog.model import MAX_PRICE
from domain.catalog.products import EDITABLE_FIELDS
from handlers.me.schemas import UpdateMeRequest
from handlers.products.schemas import MoneyBody, ProductPatch
from repositories import keys
from repositories.accounts.items import PROFILE_ATTRIBUTES
from repositories.catalog.items import EDITS


def test_product_edits_agree_across_schema_domain_and_repository() -> None:
    assert set(ProductPatch.model_fields) == EDITABLE_FIELDS, "HTTP patch vs domain"
    assert set(EDITS) == EDITABLE_FIELDS, "repository edit map vs domain"


def test_profile_fields_agree_across_schema_domain_and_repository() -> None:
    assert set(UpdateMeRequest.model_fields) == PROFILE_FIELDS, "HTTP patch vs domain"
    # preferences are a map of their own, written whole; every other field is one attribute
    assert set(PROFILE_ATTRIBUTES) | {"preferences"} == PROFILE_FIELDS, "repository vs domain"


def test_the_maximum_price_comes_from_max_price() -> None:
    from handlers.products import list_products

    query_price = TypeAdapter(list_products.Price)
    assert query_price.validate_python(str(MAX_PRICE)) == MAX_PRICE
    with pytest.raises(ValidationError):
        query_price.validate_python(str(MAX_PRICE + 1))
    assert MoneyBody(amount=MAX_PRICE, currency="USD").amount == MAX_PRICE
    with pytest.raises(ValidationError):
        MoneyBody(amount=MAX_PRICE + 1, currency="USD")
    # the index keys are zero-padded to exactly its width, so string order is price order
    assert len(keys.price_prefix(MAX_PRICE)) == keys.PRICE_DIGITS == len(str(MAX_PRICE))
    assert keys.price_prefix(1) < keys.price_prefix(10) < keys.price_prefix(MAX_PRICE)
    assert keys.PRICE_KEY.match(keys.price_key(MAX_PRICE, "prd_" + "0" * 26))


def test_a_payment_method_is_one_pattern_for_checkout_and_retry() -> None:
    from typing import get_args

    from handlers.checkout.schemas import PaymentMethod as AtCheckout
    from handlers.payments.requests import PaymentMethod as AtRetry

    assert [m.pattern for m in get_args(AtCheckout)[1:]] == [
        m.pattern for m in get_args(AtRetry)[1:]
    ]


def test_an_idempotency_key_is_one_pattern_for_checkout_and_retry() -> None:
    from handlers.checkout.schemas import IDEMPOTENCY_KEY_PATTERN as AT_CHECKOUT
    from handlers.payments.requests import IDEMPOTENCY_KEY_PATTERN as AT_RETRY

    assert AT_CHECKOUT == AT_RETRY
