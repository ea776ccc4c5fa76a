"""Product rules (domain/catalog/products.py) on plain fakes: listing, editing at a
version, the moderation state machine, who sees what, browsing and the category cache."""

from __future__ import annotations

from typing import Any

import pytest

from domain.accounts.model import Role
from domain.catalog import products as rules
from domain.catalog.categories import CategoryTree
from domain.catalog.model import (
    DEFAULT_LOW_STOCK,
    MAX_IMAGE_BYTES,
    MAX_PRICE,
    Actor,
    Image,
    Money,
    ProductSort,
    ProductStatus,
    may_see,
    seller_id_for,
)
from domain.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    RuleViolation,
)
from tests.unit.product_fakes import (
    IMAGES_BASE_URL,
    USD,
    Catalog,
    FakeCategories,
    admin,
    customer,
    seller,
)

ALL = list(ProductStatus)


def image(product_id: str, name: str = "a.jpg") -> Image:
    return Image(url=f"{IMAGES_BASE_URL}/products/{product_id}/{name}", alt="a lamp")


# -- create ---------------------------------------------------------------------------


def test_a_new_product_is_a_draft_at_version_1_with_empty_stock() -> None:
    shop = Catalog()
    product = shop.create(brand="Acme", attributes={"colour": "walnut"})
    assert product.status is ProductStatus.DRAFT
    assert product.version == 1
    assert product.seller_id == seller_id_for(seller().user_id)
    assert product.product_id.startswith("prd_")
    assert product.created_at == product.updated_at == product.status_changed_at == shop.clock
    assert product.attributes == {"colour": "walnut"}
    assert product.images == []
    assert product.rejection_reason is None
    stored, inventory = shop.products.product_with_inventory(product.product_id)
    assert stored == product
    assert inventory is not None
    assert (inventory.available, inventory.reserved) == (0, 0)
    assert inventory.low_stock_threshold == DEFAULT_LOW_STOCK


def test_attributes_are_copied_not_shared() -> None:
    shop = Catalog()
    attributes = {"colour": "walnut"}
    product = shop.create(attributes=attributes)
    attributes["colour"] = "oak"
    assert product.attributes == {"colour": "walnut"}


@pytest.mark.parametrize(
    ("price", "code"),
    [
        (Money(1999, "EUR"), "currency_mismatch"),
        (Money(0, USD), "price_range"),
        (Money(-5, USD), "price_range"),
        (Money(MAX_PRICE + 1, USD), "price_range"),
    ],
)
def test_a_price_is_positive_bounded_and_in_the_store_currency(price: Money, code: str) -> None:
    shop = Catalog()
    with pytest.raises(RuleViolation) as caught:
        shop.create(price=price)
    assert caught.value.code == code
    assert shop.products.products == {}


@pytest.mark.parametrize("amount", [1, MAX_PRICE])
def test_the_price_bounds_are_allowed(amount: int) -> None:
    assert Catalog().create(price=Money(amount, USD)).price.amount == amount


@pytest.mark.parametrize("amount", [19.99, "1999", True, None])
def test_money_is_an_integer_of_minor_units(amount: Any) -> None:
    with pytest.raises(TypeError):
        Money(amount, USD)


def test_an_unknown_category_is_refused() -> None:
    shop = Catalog()
    with pytest.raises(RuleViolation) as caught:
        shop.create(category_id="nowhere")
    assert caught.value.code == "unknown_category"
    assert shop.products.products == {}


def test_images_are_not_taken_at_create() -> None:
    shop = Catalog()
    with pytest.raises(RuleViolation) as caught:
        shop.create(images=[Image(url=f"{IMAGES_BASE_URL}/products/x/a.jpg", alt="a")])
    assert caught.value.code == "foreign_image"
    assert shop.products.products == {}


def test_a_sku_is_unique_per_seller() -> None:
    shop = Catalog()
    shop.create(sku="LAMP")
    with pytest.raises(Conflict) as caught:
        shop.create(sku="LAMP")
    assert caught.value.code == "sku_taken"
    other = shop.create(actor=seller("bob"), sku="LAMP")
    assert other.seller_id == seller_id_for(seller("bob").user_id)
    assert len(shop.products.products) == 2


# -- edit -----------------------------------------------------------------------------


def test_an_edit_at_the_current_version_bumps_it() -> None:
    shop = Catalog()
    product = shop.create()
    edited = shop.edit(product.product_id, {"name": "Renamed"}, if_match=1)
    assert edited.version == 2
    assert edited.name == "Renamed"
    assert edited.updated_at == shop.clock
    assert edited.created_at == product.created_at
    assert shop.products.product(product.product_id) == edited
    again = shop.edit(product.product_id, {"description": "Brighter"}, if_match=2)
    assert (again.version, again.name, again.description) == (3, "Renamed", "Brighter")


def test_an_edit_without_if_match_is_refused_before_anything_is_read() -> None:
    shop = Catalog()
    product = shop.create()
    with pytest.raises(PreconditionRequired) as caught:
        shop.edit(product.product_id, {"name": "x"}, if_match=None)
    assert caught.value.code == "if_match_required"
    with pytest.raises(PreconditionRequired):
        shop.edit("prd_missing", {"name": "x"}, if_match=None)
    assert shop.products.product(product.product_id) == product


@pytest.mark.parametrize("if_match", [0, 2, 99, -1])
def test_an_edit_at_another_version_is_refused_and_changes_nothing(if_match: int) -> None:
    shop = Catalog()
    product = shop.create()
    writes = shop.products.writes
    with pytest.raises(PreconditionFailed) as caught:
        shop.edit(product.product_id, {"name": "x"}, if_match=if_match)
    assert caught.value.code == "version_mismatch"
    assert shop.products.product(product.product_id) == product
    assert shop.products.writes == writes


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({}, "empty_update"),
        ({"status": ProductStatus.ACTIVE}, "unknown_field"),
        ({"seller_id": "sel_x"}, "unknown_field"),
        ({"version": 9}, "unknown_field"),
        ({"rating": None}, "unknown_field"),
        ({"name": "ok", "rejection_reason": None}, "unknown_field"),
    ],
)
def test_only_the_editable_fields_change(changes: dict[str, Any], code: str) -> None:
    shop = Catalog()
    product = shop.create()
    with pytest.raises(RuleViolation) as caught:
        shop.edit(product.product_id, changes, if_match=1)
    assert caught.value.code == code
    assert shop.products.product(product.product_id) == product


def test_another_seller_or_a_customer_cannot_find_it_an_admin_can_edit() -> None:
    shop = Catalog()
    product = shop.create()
    for stranger in (seller("bob"), customer()):
        with pytest.raises(NotFound) as caught:
            shop.edit(product.product_id, {"name": "Mine"}, if_match=1, actor=stranger)
        assert caught.value.code == "product_not_found"
    edited = shop.edit(product.product_id, {"name": "Fixed"}, if_match=1, actor=admin())
    assert (edited.name, edited.seller_id) == ("Fixed", product.seller_id)


def test_a_seller_demoted_to_customer_no_longer_manages_their_products() -> None:
    shop = Catalog()
    product = shop.create()
    demoted = Actor(user_id=seller().user_id, role=Role.CUSTOMER)
    with pytest.raises(NotFound):
        shop.edit(product.product_id, {"name": "x"}, if_match=1, actor=demoted)


@pytest.mark.parametrize("status", ALL)
def test_which_states_may_be_edited(status: ProductStatus) -> None:
    shop = Catalog()
    product = shop.in_state(status)
    if status in (ProductStatus.PENDING_REVIEW, ProductStatus.ARCHIVED):
        with pytest.raises(Conflict) as caught:
            shop.edit(product.product_id, {"name": "x"}, if_match=product.version)
        assert caught.value.code == "invalid_product_state"
        assert shop.products.product(product.product_id) == product
    else:
        edited = shop.edit(product.product_id, {"name": "x"}, if_match=product.version)
        assert edited.status is status
        assert edited.version == product.version + 1


def test_an_active_product_stays_active_with_its_new_price() -> None:
    shop = Catalog()
    product = shop.in_state(ProductStatus.ACTIVE)
    edited = shop.edit(product.product_id, {"price": Money(500, USD)}, if_match=product.version)
    assert edited.status is ProductStatus.ACTIVE
    assert edited.status_changed_at == product.status_changed_at
    listed = shop.browse(sort=ProductSort.PRICE_ASC).items
    assert [(p.product_id, p.price.amount) for p in listed] == [(product.product_id, 500)]


def test_a_rejected_product_keeps_its_reason_while_edited() -> None:
    shop = Catalog()
    product = shop.in_state(ProductStatus.REJECTED)
    edited = shop.edit(product.product_id, {"name": "Better"}, if_match=product.version)
    assert edited.status is ProductStatus.REJECTED
    assert edited.rejection_reason == "blurry"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"price": Money(1999, "EUR")}, "currency_mismatch"),
        ({"price": Money(0, USD)}, "price_range"),
        ({"category_id": "nowhere"}, "unknown_category"),
        ({"images": [Image("https://elsewhere.example/products/x/a.jpg", "a")]}, "foreign_image"),
    ],
)
def test_edited_values_are_checked_and_a_refusal_writes_nothing(
    changes: dict[str, Any], code: str
) -> None:
    shop = Catalog()
    product = shop.create()
    writes = shop.products.writes
    with pytest.raises(RuleViolation) as caught:
        shop.edit(product.product_id, changes, if_match=1)
    assert caught.value.code == code
    assert shop.products.product(product.product_id) == product
    assert shop.products.writes == writes


def test_the_same_category_is_not_looked_up_again() -> None:
    shop = Catalog()
    product = shop.create()
    shop.categories.categories.pop("lighting")  # vanished meanwhile: the edit is not a move
    edited = shop.edit(product.product_id, {"category_id": "lighting", "name": "x"}, if_match=1)
    assert edited.category_id == "lighting"


def test_a_category_change_moves_the_product() -> None:
    shop = Catalog()
    product = shop.in_state(ProductStatus.ACTIVE)
    shop.edit(product.product_id, {"category_id": "garden"}, if_match=product.version)
    assert shop.browse(category_id="home").items == []
    assert [p.product_id for p in shop.browse(category_id="garden").items] == [product.product_id]


def test_a_changed_sku_frees_the_old_one() -> None:
    shop = Catalog()
    product = shop.create(sku="OLD")
    shop.edit(product.product_id, {"sku": "NEW"}, if_match=1)
    assert shop.create(sku="OLD").sku == "OLD"
    with pytest.raises(Conflict):
        shop.create(sku="NEW")


def test_images_under_the_products_prefix_up_to_ten() -> None:
    shop = Catalog()
    product = shop.create()
    pid = product.product_id
    ten = [image(pid, f"{n}.jpg") for n in range(10)]
    assert shop.edit(pid, {"images": ten}, if_match=1).images == ten
    with pytest.raises(RuleViolation) as caught:
        shop.edit(pid, {"images": [*ten, image(pid, "10.jpg")]}, if_match=2)
    assert caught.value.code == "too_many_images"
    other = shop.create(sku="OTHER")
    for url in (
        f"{IMAGES_BASE_URL}/products/{other.product_id}/a.jpg",
        f"{IMAGES_BASE_URL}/products/{pid}",
        f"{IMAGES_BASE_URL}/products/{pid}x/a.jpg",
        f"{IMAGES_BASE_URL}.evil.example/products/{pid}/a.jpg",
        f"https://evil.example/products/{pid}/a.jpg",
        f"{IMAGES_BASE_URL}/products/{pid}/",
        f"{IMAGES_BASE_URL}/products/{pid}/../{other.product_id}/a.jpg",
        f"{IMAGES_BASE_URL}/products/{pid}/%2E%2E/{other.product_id}/a.jpg",
        f"{IMAGES_BASE_URL}/products/{pid}/./a.jpg",
    ):
        with pytest.raises(RuleViolation) as refused:
            shop.edit(pid, {"images": [Image(url, "x")]}, if_match=2)
        assert refused.value.code == "foreign_image", url
    assert shop.products.product(pid).images == ten  # type: ignore[union-attr]


def test_a_trailing_slash_on_the_images_base_is_ignored() -> None:
    shop = Catalog()
    product = shop.create()
    edited = rules.edit_product(
        product.product_id,
        {"images": [image(product.product_id)]},
        if_match=1,
        actor=seller(),
        products=shop.products,
        categories=shop.categories,
        store_currency=USD,
        images_base_url=IMAGES_BASE_URL + "/",
    )
    assert edited.images == [image(product.product_id)]


# -- the state machine ----------------------------------------------------------------

MOVES = {
    "submit": {ProductStatus.DRAFT, ProductStatus.REJECTED},
    "approve": {ProductStatus.PENDING_REVIEW},
    "reject": {ProductStatus.PENDING_REVIEW},
    "archive": set(ALL) - {ProductStatus.ARCHIVED},
}
LANDS = {
    "submit": ProductStatus.PENDING_REVIEW,
    "approve": ProductStatus.ACTIVE,
    "reject": ProductStatus.REJECTED,
    "archive": ProductStatus.ARCHIVED,
}


@pytest.mark.parametrize("status", ALL)
@pytest.mark.parametrize("action", list(MOVES))
def test_transitions(action: str, status: ProductStatus) -> None:
    shop = Catalog()
    product = shop.in_state(status)
    move = getattr(shop, action)
    if status in MOVES[action]:
        moved = move(product.product_id)
        assert moved.status is LANDS[action]
        assert moved.version == product.version + 1
        assert moved.status_changed_at == shop.clock
        assert shop.products.product(product.product_id) == moved
    else:
        with pytest.raises(Conflict) as caught:
            move(product.product_id)
        assert caught.value.code == "invalid_product_state"
        assert status.value in caught.value.detail
        assert shop.products.product(product.product_id) == product


def test_a_rejection_reason_is_kept_until_resubmitted() -> None:
    shop = Catalog()
    product = shop.in_state(ProductStatus.PENDING_REVIEW)
    rejected = shop.reject(product.product_id, "The photos are blurry")
    assert rejected.rejection_reason == "The photos are blurry"
    resubmitted = shop.submit(product.product_id)
    assert resubmitted.rejection_reason is None
    assert shop.approve(product.product_id).rejection_reason is None


def test_only_the_owning_seller_submits() -> None:
    shop = Catalog()
    product = shop.create()
    with pytest.raises(Forbidden) as caught:
        shop.submit(product.product_id, actor=admin())
    assert caught.value.code == "not_the_seller"
    with pytest.raises(NotFound):
        shop.submit(product.product_id, actor=seller("bob"))
    with pytest.raises(NotFound):
        shop.submit(product.product_id, actor=customer())
    assert shop.products.product(product.product_id) == product


def test_an_admin_or_the_seller_archives_no_one_else() -> None:
    shop = Catalog()
    mine = shop.create(sku="A")
    theirs = shop.create(sku="B")
    with pytest.raises(NotFound):
        shop.archive(mine.product_id, actor=seller("bob"))
    assert shop.archive(mine.product_id).status is ProductStatus.ARCHIVED
    assert shop.archive(theirs.product_id, actor=admin()).status is ProductStatus.ARCHIVED


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_moderating_an_unknown_product_is_not_found(action: str) -> None:
    with pytest.raises(NotFound) as caught:
        getattr(Catalog(), action)("prd_missing")
    assert caught.value.code == "product_not_found"


def test_the_review_queue_is_asked_oldest_first_other_lists_newest_first() -> None:
    shop = Catalog()
    first = shop.in_state(ProductStatus.PENDING_REVIEW, sku="A")
    second = shop.in_state(ProductStatus.PENDING_REVIEW, sku="B")
    queue = rules.moderation_queue(ProductStatus.PENDING_REVIEW, None, 10, products=shop.products)
    assert [p.product_id for p in queue.items] == [first.product_id, second.product_id]
    shop.approve(first.product_id)
    shop.approve(second.product_id)
    active = rules.moderation_queue(ProductStatus.ACTIVE, None, 10, products=shop.products)
    assert [p.product_id for p in active.items] == [second.product_id, first.product_id]


# -- who sees what --------------------------------------------------------------------

VIEWERS = {
    "anonymous": None,
    "customer": customer(),
    "another seller": seller("bob"),
    "the seller": seller(),
    "an admin": admin(),
}


@pytest.mark.parametrize("status", ALL)
@pytest.mark.parametrize("viewer", list(VIEWERS))
def test_who_sees_a_product(viewer: str, status: ProductStatus) -> None:
    shop = Catalog()
    product = shop.in_state(status)
    expected = status is ProductStatus.ACTIVE or viewer in ("the seller", "an admin")
    actor = VIEWERS[viewer]
    assert may_see(actor, product) is expected
    if actor is not None:
        assert actor.may_see(product) is expected
    if expected:
        detail = rules.product_detail(product.product_id, actor=actor, products=shop.products)
        assert detail.product == product
        assert detail.inventory is not None
    else:
        with pytest.raises(NotFound) as caught:
            rules.product_detail(product.product_id, actor=actor, products=shop.products)
        assert caught.value.code == "product_not_found"


def test_an_unknown_product_is_not_found_even_for_an_admin() -> None:
    with pytest.raises(NotFound):
        rules.product_detail("prd_missing", actor=admin(), products=Catalog().products)


def test_owning_needs_the_seller_role() -> None:
    shop = Catalog()
    product = shop.create()
    same_user = seller().user_id
    assert Actor(same_user, Role.SELLER).owns(product)
    assert not Actor(same_user, Role.CUSTOMER).owns(product)
    assert not Actor(same_user, Role.ADMIN).owns(product)
    assert Actor(same_user, Role.ADMIN).may_manage(product)


# -- browse ---------------------------------------------------------------------------


def _active(shop: Catalog, category: str, price: int, sku: str) -> str:
    return shop.in_state(
        ProductStatus.ACTIVE, category_id=category, price=Money(price, USD), sku=sku
    ).product_id


def test_a_category_is_browsed_with_its_subtree() -> None:
    shop = Catalog()
    in_home = _active(shop, "home", 100, "A")
    in_lighting = _active(shop, "lighting", 200, "B")
    in_lamps = _active(shop, "lamps", 300, "C")
    _active(shop, "garden", 400, "D")
    page = shop.browse(category_id="home", sort=ProductSort.PRICE_ASC)
    assert [p.product_id for p in page.items] == [in_home, in_lighting, in_lamps]
    query, category_ids = shop.products.browsed[-1]
    assert sorted(category_ids or []) == ["home", "lamps", "lighting"]
    assert query.sort is ProductSort.PRICE_ASC

    shop.browse(category_id="lighting")
    assert sorted(shop.products.browsed[-1][1] or []) == ["lamps", "lighting"]
    own = shop.browse(category_id="home", include_subcategories=False)
    assert [p.product_id for p in own.items] == [in_home]
    assert shop.products.browsed[-1][1] == ["home"]
    shop.browse()
    assert shop.products.browsed[-1][1] is None


@pytest.mark.parametrize(("low", "high"), [(2, 1), (1000, 999), (MAX_PRICE, 0)])
def test_min_price_above_max_price_is_an_empty_page_read_from_nowhere(low: int, high: int) -> None:
    shop = Catalog()
    page = shop.browse(min_price=low, max_price=high)
    assert (page.items, page.next_cursor) == ([], None)
    assert shop.products.browsed == []


@pytest.mark.parametrize(("low", "high"), [(5, 5), (0, 5), (None, 0), (5, None)])
def test_an_equal_or_open_price_range_is_fine(low: int | None, high: int | None) -> None:
    shop = Catalog()
    shop.browse(min_price=low, max_price=high)
    query, _ = shop.products.browsed[-1]
    assert (query.min_price, query.max_price) == (low, high)


@pytest.mark.parametrize("include_subcategories", [True, False])
def test_an_unknown_category_is_not_found(include_subcategories: bool) -> None:
    shop = Catalog()
    with pytest.raises(NotFound) as caught:
        shop.browse(category_id="nowhere", include_subcategories=include_subcategories)
    assert caught.value.code == "category_not_found"
    assert shop.products.browsed == []


def test_browse_lists_active_products_only() -> None:
    shop = Catalog()
    active = _active(shop, "lighting", 100, "A")
    for n, status in enumerate(ALL):
        if status is not ProductStatus.ACTIVE:
            shop.in_state(status, sku=f"H{n}")
    assert [p.product_id for p in shop.browse().items] == [active]
    assert [p.product_id for p in shop.browse(category_id="home").items] == [active]


# -- the category cache ---------------------------------------------------------------


def test_the_tree_is_read_once_per_max_age() -> None:
    categories = FakeCategories()
    categories.add("home")
    tree = CategoryTree(categories, max_age_seconds=60)
    assert tree.subtree("home", 100.0) == ["home"]
    assert tree.subtree("home", 130.0) == ["home"]
    assert tree.subtree("home", 160.0) == ["home"]
    assert categories.full_reads == 1
    categories.add("lighting", "home")
    assert tree.subtree("home", 160.0) == ["home"]  # a known id: the cached copy serves
    assert tree.subtree("home", 160.5) == ["home", "lighting"]  # older than max age: reread
    assert categories.full_reads == 2


def test_an_unknown_id_refreshes_the_cache_once() -> None:
    categories = FakeCategories()
    categories.add("home")
    tree = CategoryTree(categories, max_age_seconds=60)
    assert tree.subtree("home", 100.0) == ["home"]
    categories.add("garden")
    assert tree.subtree("garden", 101.0) == ["garden"]  # created since: found on refresh
    assert categories.full_reads == 2
    assert tree.subtree("nowhere", 102.0) == []
    assert categories.full_reads == 3
    assert tree.subtree("nowhere", 102.0) == []  # just read: not again in the same instant
    assert categories.full_reads == 3


def test_a_fresh_load_is_not_repeated_for_an_unknown_id() -> None:
    categories = FakeCategories()
    tree = CategoryTree(categories)
    assert tree.subtree("nowhere", 5.0) == []
    assert categories.full_reads == 1


def test_clear_forgets_the_cached_tree() -> None:
    categories = FakeCategories()
    categories.add("home")
    tree = CategoryTree(categories)
    tree.subtree("home", 1.0)
    categories.add("lighting", "home")
    tree.clear()
    assert tree.subtree("home", 1.0) == ["home", "lighting"]
    assert categories.full_reads == 2


def test_a_category_created_meanwhile_is_browsable_at_once() -> None:
    shop = Catalog()
    shop.browse(category_id="home", clock=10.0)
    shop.categories.add("patio")
    assert shop.browse(category_id="patio", clock=11.0).items == []
    assert shop.products.browsed[-1][1] == ["patio"]


# -- image uploads --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "extension"),
    [("image/jpeg", "jpg"), ("image/png", "png"), ("image/webp", "webp")],
)
def test_an_upload_form_is_for_a_new_key_under_the_product(
    content_type: str, extension: str
) -> None:
    shop = Catalog()
    product = shop.create()
    form = rules.image_upload_form(
        product.product_id,
        content_type,
        actor=seller(),
        products=shop.products,
        images=shop.images,
    )
    (asked,) = shop.images.forms
    key = asked["key"]
    assert key.startswith(f"products/{product.product_id}/img_")
    assert key.endswith(f".{extension}")
    assert asked["content_type"] == content_type
    assert asked["max_bytes"] == MAX_IMAGE_BYTES == form.max_bytes
    assert asked["expires_in"] == rules.UPLOAD_EXPIRES_IN == form.expires_in
    assert form.image_url == f"{IMAGES_BASE_URL}/{key}"
    assert form.fields["key"] == key
    # What the form gives back is an image the product may then carry.
    edited = shop.edit(product.product_id, {"images": [Image(form.image_url, "lamp")]}, if_match=1)
    assert edited.images == [Image(form.image_url, "lamp")]


def test_an_upload_form_for_someone_else_or_an_odd_type_is_refused() -> None:
    shop = Catalog()
    product = shop.create()

    def ask(actor: Actor, content_type: str = "image/png") -> Any:
        return rules.image_upload_form(
            product.product_id,
            content_type,
            actor=actor,
            products=shop.products,
            images=shop.images,
        )

    with pytest.raises(NotFound):
        ask(seller("bob"))
    with pytest.raises(Forbidden) as forbidden:
        ask(admin())
    assert forbidden.value.code == "not_the_seller"
    with pytest.raises(RuleViolation) as odd:
        ask(seller(), "image/gif")
    assert odd.value.code == "unsupported_image_type"
    assert shop.images.forms == []
