"""Categories, products and their stock in the single table, one module per aggregate.

| module          | what                                                        |
|-----------------|-------------------------------------------------------------|
| ``items``       | the pynamodb items, their mapping to the domain, index keys |
| ``categories``  | ``DynamoCategories``: the tree, slugs, moves                |
| ``products``    | ``DynamoProducts``: listing, edits, status changes, lists   |
| ``browse``      | the shoppers' browse: partitions merged behind one cursor   |
| ``inventory``   | ``DynamoInventory``: stock counts and adjustments           |

Every key is made in ``repositories/keys.py``. Sellers and reviews are in
``repositories/sellers.py`` and ``repositories/reviews.py``. Nothing is imported here, so
a function loads only the modules of the repositories it uses.
"""
