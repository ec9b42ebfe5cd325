"""The page names the national inventory's principle from the INVENTORY rows of inventory_check.csv."""

from __future__ import annotations

import pandas as pd

from mrio_tools.report.inventory import inventory_principles


def test_inventory_principle_is_read_from_the_inventory_rows() -> None:
    # inventory_check.csv as the series writes it: PBA and its growth carry the source's principle,
    # the ratio and the flag "residence vs territorial", the inventory rows their own (territorial)
    table = pd.DataFrame(
        {
            "account": ["PBA", "INVENTORY", "PBA_TO_INVENTORY", "SOURCE_GROWTH", "INVENTORY_GROWTH"],
            "principle": [
                "residence",
                "territorial",
                "residence vs territorial",
                "residence",
                "territorial",
            ],
        }
    )
    assert inventory_principles(table) == ["territorial"]
