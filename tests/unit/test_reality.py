"""The reality rules (domain/reality/assets.py) with plain fakes of their ports."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.catalog.model import Image, Product, ProductStatus
from domain.errors import Conflict, NotFound, RuleViolation
from domain.reality import assets as rules
from domain.reality.model import AssetSource, AssetStatus, AssetType, Dimensions
from tests.unit.product_fakes import Catalog, admin, customer, seller
from tests.unit.reality_fakes import (
    BASE,
    FakeAssets,
    FakeInspector,
    FakeMaker,
    FakeModelFiles,
    FakeQueue,
)


class World:
    def __init__(self) -> None:
        self.catalog = Catalog()
        self.assets = FakeAssets()
        self.files = FakeModelFiles()
        self.queue = FakeQueue()
        self.maker = FakeMaker()

    def product(self, **changes: object) -> Product:
        product = self.catalog.create()
        product = replace(product, **changes)  # type: ignore[arg-type]
        self.catalog.products.products[product.product_id] = product
        return product

    def form(self, product: Product, kind: AssetType = AssetType.GLB, actor=None):  # type: ignore[no-untyped-def]
        return rules.upload_form(
            product.product_id, kind, "Lamp", actor=actor or seller(),
            products=self.catalog.products, assets=self.assets, files=self.files,
            now=self.catalog.tick(),
        )  # fmt: skip

    def done(self, product: Product, asset_id: str, actor=None):  # type: ignore[no-untyped-def]
        return rules.finish_upload(
            product.product_id, asset_id, actor=actor or seller(),
            products=self.catalog.products, assets=self.assets, queue=self.queue,
        )  # fmt: skip

    def process(self, product: Product, asset_id: str):  # type: ignore[no-untyped-def]
        return rules.process_upload(
            product.product_id, asset_id, assets=self.assets, files=self.files,
            inspector=FakeInspector(), now=self.catalog.tick(),
        )  # fmt: skip

    def upload(self, product: Product, content: bytes, kind: AssetType = AssetType.GLB):  # type: ignore[no-untyped-def]
        asset, _ = self.form(product, kind)
        self.files.objects[asset.key] = content
        self.done(product, asset.asset_id)
        return self.process(product, asset.asset_id)

    def generate(self, product: Product):  # type: ignore[no-untyped-def]
        return rules.refresh_generated(
            product.product_id, products=self.catalog.products, assets=self.assets,
            files=self.files, maker=self.maker, now=self.catalog.tick(),
        )  # fmt: skip

    def photo(self, product: Product, name: str, data: bytes) -> Product:
        key = f"products/{product.product_id}/{name}"
        self.files.objects[key] = data
        changed = replace(product, images=[Image(f"{BASE}/{key}", "photo")])
        self.catalog.products.products[product.product_id] = changed
        return changed


@pytest.fixture
def world() -> World:
    return World()


def test_a_form_fixes_key_type_and_size_and_records_the_asset_uploading(world: World) -> None:
    product = world.product()
    asset, form = world.form(product, AssetType.USDZ)
    assert asset.key == f"products/{product.product_id}/models/{asset.asset_id}.usdz"
    assert world.files.forms == [(asset.key, "model/vnd.usdz+zip", 20 * 1024 * 1024, 900)]
    assert form["fields"]["key"] == asset.key
    assert asset.status is AssetStatus.UPLOADING
    assert asset.source is AssetSource.UPLOADED
    assert asset.category == product.category_id
    assert world.assets.assets(product.product_id) == [asset]


def test_only_the_seller_and_admins_get_forms(world: World) -> None:
    product = world.product()
    with pytest.raises(NotFound):
        world.form(product, actor=seller("bob"))
    with pytest.raises(NotFound):
        world.form(product, actor=customer())
    assert world.form(product, actor=admin())[0].status is AssetStatus.UPLOADING


def test_a_product_has_at_most_ten_models(world: World) -> None:
    product = world.product()
    for _ in range(10):
        world.form(product)
    with pytest.raises(RuleViolation) as refused:
        world.form(product)
    assert refused.value.code == "too_many_models"


def test_done_queues_the_check_once_processing_and_refuses_once_settled(world: World) -> None:
    product = world.product()
    asset, _ = world.form(product)
    assert world.done(product, asset.asset_id).status is AssetStatus.PROCESSING
    assert world.done(product, asset.asset_id).status is AssetStatus.PROCESSING
    assert world.queue.sent == [("process", product.product_id, asset.asset_id)] * 2
    world.files.objects[asset.key] = b"ok:1,1,1"
    world.process(product, asset.asset_id)
    with pytest.raises(Conflict):
        world.done(product, asset.asset_id)
    with pytest.raises(NotFound):
        world.done(product, "mdl_unknown")


@pytest.mark.parametrize(
    ("content", "status", "reason"),
    [
        (b"ok:0.2,0.3,0.1", AssetStatus.READY, None),
        (b"bad:the model has no mesh", AssetStatus.REJECTED, "the model has no mesh"),
        (None, AssetStatus.REJECTED, "no file was uploaded for this model"),
        (b"ok:1,1,1" + b" " * (20 * 1024 * 1024), AssetStatus.REJECTED,
         "the file is larger than 20 MB"),
    ],
)  # fmt: skip
def test_the_check_decides_ready_or_rejected_with_a_reason(
    world: World, content: bytes | None, status: AssetStatus, reason: str | None
) -> None:
    product = world.product()
    asset, _ = world.form(product)
    if content is not None:
        world.files.objects[asset.key] = content
    world.done(product, asset.asset_id)
    checked = world.process(product, asset.asset_id)
    assert checked is not None
    assert (checked.status, checked.reason) == (status, reason)
    assert world.assets.asset(product.product_id, asset.asset_id) == checked
    if status is AssetStatus.READY:
        assert checked.dimensions == Dimensions(0.2, 0.3, 0.1)
    else:
        assert asset.key not in world.files.objects  # never served


def test_the_check_leaves_what_is_not_processing(world: World) -> None:
    product = world.product()
    asset, _ = world.form(product)
    world.files.objects[asset.key] = b"ok:1,1,1"
    assert world.process(product, asset.asset_id) == asset  # "done" was never called


def test_strangers_see_ready_models_of_active_products_the_seller_sees_all(world: World) -> None:
    product = world.product()
    ready = world.upload(product, b"ok:1,1,1")
    rejected = world.upload(product, b"bad:no")
    with pytest.raises(NotFound):
        rules.reality_of(product.product_id, actor=None, products=world.catalog.products,
                         assets=world.assets)  # fmt: skip
    _, mine = rules.reality_of(
        product.product_id, actor=seller(), products=world.catalog.products, assets=world.assets
    )
    assert {a.asset_id for a in mine} == {ready.asset_id, rejected.asset_id}
    world.catalog.products.products[product.product_id] = replace(
        product, status=ProductStatus.ACTIVE
    )
    _, public = rules.reality_of(
        product.product_id, actor=customer(), products=world.catalog.products, assets=world.assets
    )
    assert [a.asset_id for a in public] == [ready.asset_id]


def test_the_size_comes_from_the_attributes_in_centimetres_else_the_default() -> None:
    catalog = Catalog()
    product = catalog.create()
    sized = replace(product, attributes={"Width": "40 cm", "height": "60", "depth": "huge"})
    assert rules.product_size(sized) == Dimensions(0.4, 0.6, 0.02)
    assert rules.product_size(product) == Dimensions(0.3, 0.3, 0.02)
    assert rules.product_size(replace(product, attributes={"width": "0"})).width == 0.3


def test_a_model_is_made_from_the_main_photo_once_per_photo(world: World) -> None:
    product = world.product(attributes={"width": "40", "height": "60", "depth": "2"})
    assert world.generate(product) is None  # no photo
    product = world.photo(product, "a.png", b"PNG-A")
    made = world.generate(product)
    assert made is not None
    assert made.source is AssetSource.GENERATED
    assert made.status is AssetStatus.READY
    assert made.dimensions == Dimensions(0.4, 0.6, 0.02)
    assert world.files.objects[made.key] == b"glb of PNG-A"
    assert world.maker.made == [(b"PNG-A", "image/png", Dimensions(0.4, 0.6, 0.02))]
    assert world.generate(product) == made  # the same photo: nothing new
    assert len(world.maker.made) == 1

    product = world.photo(product, "b.jpg", b"JPG-B")  # the main photo changed
    remade = world.generate(product)
    assert remade is not None
    assert remade.asset_id != made.asset_id
    assert world.maker.made[-1][1] == "image/jpeg"
    assert made.key not in world.files.objects
    assert [a.asset_id for a in world.assets.assets(product.product_id)] == [remade.asset_id]


def test_an_uploaded_model_replaces_the_generated_one_for_good(world: World) -> None:
    product = world.photo(world.product(), "a.png", b"PNG-A")
    made = world.generate(product)
    assert made is not None
    uploaded = world.upload(product, b"ok:1,1,1")
    assert [a.asset_id for a in world.assets.assets(product.product_id)] == [uploaded.asset_id]
    assert made.key not in world.files.objects
    assert world.generate(product) is None
    assert len(world.maker.made) == 1


def test_a_usdz_does_not_replace_the_generated_glb(world: World) -> None:
    product = world.photo(world.product(), "a.png", b"PNG-A")
    made = world.generate(product)
    assert made is not None
    world.upload(product, b"ok", AssetType.USDZ)
    assert made.asset_id in {a.asset_id for a in world.assets.assets(product.product_id)}


def test_generation_needs_a_photo_and_the_seller(world: World) -> None:
    product = world.product()
    with pytest.raises(RuleViolation):
        rules.request_generation(product.product_id, actor=seller(),
                                 products=world.catalog.products, queue=world.queue)  # fmt: skip
    product = world.photo(product, "a.png", b"P")
    with pytest.raises(NotFound):
        rules.request_generation(product.product_id, actor=seller("bob"),
                                 products=world.catalog.products, queue=world.queue)  # fmt: skip
    rules.request_generation(product.product_id, actor=seller(),
                             products=world.catalog.products, queue=world.queue)  # fmt: skip
    assert world.queue.sent == [("generate", product.product_id)]


def test_the_ar_page_prefers_the_uploaded_glb_and_adds_the_usdz(world: World) -> None:
    product = world.photo(world.product(status=ProductStatus.ACTIVE), "a.png", b"P")
    with pytest.raises(NotFound) as none:
        rules.viewable(product.product_id, products=world.catalog.products, assets=world.assets)
    assert none.value.code == "no_model"
    made = world.generate(product)
    _, glb, usdz = rules.viewable(
        product.product_id, products=world.catalog.products, assets=world.assets
    )
    assert (glb, usdz) == (made, None)
    ios = world.upload(product, b"ok", AssetType.USDZ)
    uploaded = world.upload(product, b"ok:1,1,1")
    _, glb, usdz = rules.viewable(
        product.product_id, products=world.catalog.products, assets=world.assets
    )
    assert (glb.asset_id, usdz and usdz.asset_id) == (uploaded.asset_id, ios.asset_id)
