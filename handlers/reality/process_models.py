"""The reality worker (its own queue + DLQ): validates uploaded models and makes a model
from a product's main photo.

Messages: ``{"action": "process", "productId", "assetId"}`` from the "done" call,
``{"action": "generate", "productId"}`` from POST /reality/{id}/generate, and any domain
event about a product (raw SNS delivery, ``subject`` = the product id; the queue's filter
policy picks the types), which re-checks the generated model against the main photo.
The only function that loads pygltflib.
"""

from __future__ import annotations

import json

from domain.clock import utcnow
from domain.reality.assets import process_upload, refresh_generated
from handlers.shared import wiring
from handlers.shared.batch import Record, logger, worker

products, assets, files = wiring.products(), wiring.assets(), wiring.model_files()
inspector, maker = wiring.model_inspector(), wiring.model_maker()


def handle(record: Record) -> None:
    message = json.loads(record["body"])
    if message.get("action") == "process":
        asset = process_upload(
            message["productId"],
            message["assetId"],
            assets=assets,
            files=files,
            inspector=inspector,
            now=utcnow(),
        )
        status = None if asset is None else asset.status.value
        logger.info("model checked", extra={"assetId": message["assetId"], "status": status})
        return
    product_id = message["productId"] if message.get("action") == "generate" else message["subject"]
    made = refresh_generated(
        product_id, products=products, assets=assets, files=files, maker=maker, now=utcnow()
    )
    logger.info(
        "generated model", extra={"productId": product_id, "assetId": made and made.asset_id}
    )


lambda_handler = worker("sqs", handle)
