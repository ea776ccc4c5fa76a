"""A generated catalogue for search: deterministic (seeded), with its own ground truth.

Each product is made from a kind (headphones, running shoes, …), a brand of that kind, a
feature or none, a colour and a material; the name and description are written from them
(descriptions sometimes mention another kind: "pairs well with a laptop", the distractors a
field boost must beat). ``RELEVANCE_QUERIES`` are what a shopper types (typos, plurals,
brand + type, attribute words), each with the rule that says which products a shopper
would expect: the judgement comes from the generator's facts, never from an engine.

Used by tests/contract/test_search_relevance.py and by ``make bench`` (benchmarks/search.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.search.ports import ProductDoc


@dataclass(frozen=True)
class Kind:
    key: str
    noun: str  # as names spell it
    category: tuple[tuple[str, str], ...]  # (id, name), own category first, then ancestors
    brands: tuple[str, ...]
    features: tuple[str, ...]
    price: tuple[int, int]  # minor units


ELECTRONICS = ("cat_electronics", "Electronics")
AUDIO = ("cat_audio", "Audio")
COMPUTERS = ("cat_computers", "Computers")
FASHION = ("cat_fashion", "Fashion")
SHOES = ("cat_shoes", "Shoes")
HOME = ("cat_home", "Home & Kitchen")
OUTDOOR = ("cat_outdoor", "Sports & Outdoors")

KINDS = (
    Kind(
        "headphones",
        "Headphones",
        (("cat_headphones", "Headphones"), AUDIO, ELECTRONICS),
        ("Sony", "Bose", "Sennheiser", "JBL", "Audio-Technica"),
        ("Wireless", "Noise Cancelling", "Over-Ear", "Studio"),
        (2_999, 39_999),
    ),
    Kind(
        "earbuds",
        "Earbuds",
        (("cat_headphones", "Headphones"), AUDIO, ELECTRONICS),
        ("Sony", "Jabra", "Samsung", "Anker"),
        ("Wireless", "Noise Cancelling", "Sport"),
        (1_999, 24_999),
    ),
    Kind(
        "speaker",
        "Speaker",
        (("cat_speakers", "Speakers"), AUDIO, ELECTRONICS),
        ("JBL", "Bose", "Sonos", "Anker"),
        ("Bluetooth", "Portable", "Waterproof", "Smart"),
        (2_499, 49_999),
    ),
    Kind(
        "laptop",
        "Laptop",
        (("cat_laptops", "Laptops"), COMPUTERS, ELECTRONICS),
        ("Lenovo", "Dell", "Asus", "Acer", "Apple"),
        ("Gaming", "Ultralight", "Business", "14-inch"),
        (39_999, 299_999),
    ),
    Kind(
        "monitor",
        "Monitor",
        (("cat_monitors", "Monitors"), COMPUTERS, ELECTRONICS),
        ("Dell", "Samsung", "LG", "Asus"),
        ("4K", "Curved", "Gaming", "Ultrawide"),
        (12_999, 99_999),
    ),
    Kind(
        "keyboard",
        "Keyboard",
        (("cat_accessories", "Accessories"), COMPUTERS, ELECTRONICS),
        ("Logitech", "Keychron", "Corsair", "Razer"),
        ("Mechanical", "Wireless", "Gaming", "Compact"),
        (2_999, 19_999),
    ),
    Kind(
        "mouse",
        "Mouse",
        (("cat_accessories", "Accessories"), COMPUTERS, ELECTRONICS),
        ("Logitech", "Razer", "Corsair", "Microsoft"),
        ("Wireless", "Gaming", "Ergonomic", "Vertical"),
        (999, 14_999),
    ),
    Kind(
        "running-shoes",
        "Running Shoes",
        (("cat_running", "Running Shoes"), SHOES, FASHION),
        ("Nike", "Adidas", "Asics", "Brooks", "Hoka"),
        ("Trail", "Lightweight", "Cushioned", "Waterproof"),
        (5_999, 19_999),
    ),
    Kind(
        "boots",
        "Boots",
        (("cat_boots", "Boots"), SHOES, FASHION),
        ("Timberland", "Dr. Martens", "Merrell", "Columbia"),
        ("Hiking", "Waterproof", "Chelsea", "Winter"),
        (7_999, 24_999),
    ),
    Kind(
        "jacket",
        "Jacket",
        (("cat_outerwear", "Outerwear"), FASHION),
        ("Patagonia", "The North Face", "Columbia", "Arc'teryx"),
        ("Waterproof", "Down", "Fleece", "Rain"),
        (6_999, 49_999),
    ),
    Kind(
        "t-shirt",
        "T-Shirt",
        (("cat_tops", "Tops"), FASHION),
        ("Uniqlo", "Hanes", "Nike", "Adidas"),
        ("Organic", "Slim Fit", "Oversized", "Graphic"),
        (999, 4_999),
    ),
    Kind(
        "backpack",
        "Backpack",
        (("cat_bags", "Bags"), FASHION),
        ("Herschel", "Osprey", "Fjallraven", "Samsonite"),
        ("Travel", "Laptop", "Hiking", "Rolltop"),
        (3_999, 24_999),
    ),
    Kind(
        "espresso-machine",
        "Espresso Machine",
        (("cat_coffee", "Coffee"), HOME),
        ("Breville", "De'Longhi", "Gaggia", "Nespresso"),
        ("Automatic", "Manual", "Compact"),
        (19_999, 149_999),
    ),
    Kind(
        "coffee-maker",
        "Coffee Maker",
        (("cat_coffee", "Coffee"), HOME),
        ("Cuisinart", "Mr. Coffee", "Breville", "Moccamaster"),
        ("Programmable", "Drip", "Pour-Over", "Thermal"),
        (2_999, 34_999),
    ),
    Kind(
        "blender",
        "Blender",
        (("cat_appliances", "Appliances"), HOME),
        ("Vitamix", "Ninja", "Blendtec", "KitchenAid"),
        ("High-Speed", "Personal", "Immersion"),
        (3_999, 59_999),
    ),
    Kind(
        "desk-lamp",
        "Desk Lamp",
        (("cat_lighting", "Lighting"), HOME),
        ("IKEA", "BenQ", "Philips", "Lumen"),
        ("LED", "Dimmable", "Architect", "Clamp"),
        (1_999, 19_999),
    ),
    Kind(
        "office-chair",
        "Office Chair",
        (("cat_furniture", "Furniture"), HOME),
        ("Herman Miller", "Steelcase", "Secretlab", "IKEA"),
        ("Ergonomic", "Mesh", "Executive", "Gaming"),
        (9_999, 149_999),
    ),
    Kind(
        "water-bottle",
        "Water Bottle",
        (("cat_hydration", "Hydration"), OUTDOOR),
        ("Hydro Flask", "Nalgene", "CamelBak", "Yeti"),
        ("Insulated", "Stainless Steel", "Collapsible"),
        (999, 4_999),
    ),
    Kind(
        "yoga-mat",
        "Yoga Mat",
        (("cat_fitness", "Fitness"), OUTDOOR),
        ("Manduka", "Lululemon", "Gaiam", "Liforme"),
        ("Non-Slip", "Thick", "Travel", "Cork"),
        (1_999, 12_999),
    ),
    Kind(
        "tent",
        "Tent",
        (("cat_camping", "Camping"), OUTDOOR),
        ("REI", "Big Agnes", "MSR", "Coleman"),
        ("Camping", "Backpacking", "Ultralight", "Family"),
        (7_999, 69_999),
    ),
)

COLOURS = ("Black", "White", "Red", "Blue", "Green", "Grey", "Navy", "Pink")
MATERIALS = ("Leather", "Cotton", "Aluminium", "Plastic", "Steel", "Nylon", "Wool", "Bamboo")
MODELS = ("Pro", "Max", "Lite", "Air", "One", "Plus", "X", "Go", "Ultra", "Mini")


@dataclass(frozen=True)
class Facts:
    """What a product is, for the judgement of queries."""

    kind: str
    brand: str
    feature: str | None
    colour: str
    material: str


def generate(count: int, seed: int = 11) -> tuple[list[ProductDoc], dict[str, Facts]]:
    rng = random.Random(seed)  # noqa: S311 (test data, reproducible on purpose)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    docs: list[ProductDoc] = []
    facts: dict[str, Facts] = {}
    for n in range(count):
        kind = KINDS[rng.randrange(len(KINDS))]
        brand = rng.choice(kind.brands)
        feature = rng.choice(kind.features) if rng.random() < 0.7 else None
        colour, material = rng.choice(COLOURS), rng.choice(MATERIALS)
        model = f"{rng.choice(MODELS)} {rng.randrange(1, 900)}"
        name = " ".join(p for p in (brand, feature, kind.noun, model) if p)
        other = rng.choice(KINDS)
        description = (
            f"A {colour.lower()} {kind.noun.lower()} by {brand}, made of {material.lower()}. "
            + (f"{feature} design. " if feature else "")
            + (
                f"Pairs well with a {other.noun.lower()}."
                if other is not kind and rng.random() < 0.5
                else "Built to last, with a two-year warranty."
            )
        )
        product_id = f"prd_{n:06d}"
        docs.append(
            ProductDoc(
                product_id=product_id,
                version=1,
                name=name,
                brand=brand,
                category_ids=tuple(c for c, _ in kind.category),
                category_names=tuple(name for _, name in kind.category),
                description=description,
                price=rng.randrange(*kind.price),
                currency="USD",
                in_stock=rng.random() < 0.85,
                rating=round(rng.uniform(2.5, 5.0), 1) if rng.random() < 0.8 else None,
                created_at=start + timedelta(minutes=n * 7),
                attributes=(("colour", colour), ("material", material)),
            )
        )
        facts[product_id] = Facts(kind.key, brand, feature, colour, material)
    return docs, facts


Rule = Callable[[Facts], bool]


def _kind(*keys: str, brand: str | None = None, feature: str | None = None,
          colour: str | None = None, material: str | None = None) -> Rule:  # fmt: skip
    def rule(f: Facts) -> bool:
        return (
            f.kind in keys
            and (brand is None or f.brand == brand)
            and (feature is None or f.feature == feature)
            and (colour is None or f.colour == colour)
            and (material is None or f.material == material)
        )

    return rule


# (what the shopper types, what they would expect to see)
RELEVANCE_QUERIES: tuple[tuple[str, Rule], ...] = (
    # plurals and singulars
    ("headphones", _kind("headphones")),
    ("headphone", _kind("headphones")),
    ("laptops", _kind("laptop")),
    ("yoga mats", _kind("yoga-mat")),
    ("desk lamps", _kind("desk-lamp")),
    ("tents", _kind("tent")),
    ("blenders", _kind("blender")),
    # typos
    ("wireles headphones", _kind("headphones", feature="Wireless")),
    ("headphnes", _kind("headphones")),
    ("expresso machine", _kind("espresso-machine")),
    ("mechanical keybaord", _kind("keyboard", feature="Mechanical")),
    ("runing shoes", _kind("running-shoes")),
    ("backpak", _kind("backpack")),
    ("moniter", _kind("monitor")),
    ("bluetooth speeker", _kind("speaker", feature="Bluetooth")),
    # brand + type
    ("sony headphones", _kind("headphones", brand="Sony")),
    ("nike running shoes", _kind("running-shoes", brand="Nike")),
    ("lenovo laptop", _kind("laptop", brand="Lenovo")),
    ("samsung monitor", _kind("monitor", brand="Samsung")),
    ("logitech mouse", _kind("mouse", brand="Logitech")),
    ("breville espresso", _kind("espresso-machine", brand="Breville")),
    ("patagonia jacket", _kind("jacket", brand="Patagonia")),
    ("osprey backpacks", _kind("backpack", brand="Osprey")),
    # attribute and feature words
    ("red running shoes", _kind("running-shoes", colour="Red")),
    ("leather backpack", _kind("backpack", material="Leather")),
    ("waterproof jacket", _kind("jacket", feature="Waterproof")),
    ("noise cancelling earbuds", _kind("earbuds", feature="Noise Cancelling")),
    ("4k monitor", _kind("monitor", feature="4K")),
    ("gaming mouse", _kind("mouse", feature="Gaming")),
    ("ergonomic office chair", _kind("office-chair", feature="Ergonomic")),
    ("insulated water bottle", _kind("water-bottle", feature="Insulated")),
    ("black t-shirt", _kind("t-shirt", colour="Black")),
    ("hiking boots", _kind("boots", feature="Hiking")),
    ("bamboo yoga mat", _kind("yoga-mat", material="Bamboo")),
    # looser phrasings: small words, word order, two typos, a word no product uses
    ("shoes for running", _kind("running-shoes")),
    ("jacket waterproof", _kind("jacket", feature="Waterproof")),
    ("a tent for camping", _kind("tent", feature="Camping")),
    ("hedphnes", _kind("headphones")),
    ("coffee", _kind("coffee-maker", "espresso-machine")),
    ("sneakers", _kind("running-shoes")),
    # the last word still being typed
    ("espresso mach", _kind("espresso-machine")),
    ("office cha", _kind("office-chair")),
)
