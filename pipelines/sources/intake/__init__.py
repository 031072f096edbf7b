"""Spreadsheet intake: deliveries (XLSX or CSV) from a template in registry/deliveries/,
checked for safety, validated cell by cell, snapshotted and loaded into the raw schema.

    locate (sample / dir:PATH / intake folder / kept snapshot) -> safety -> read -> validate
    -> snapshot -> load raw."<source>__<code>" (+ __vintages) -> raw.delivery_* views
"""

from pipelines.registry.deliveries import Delivery, load_deliveries
from pipelines.sources.intake.problems import DeliveryError, Problem
from pipelines.sources.intake.source import SOURCE

__all__ = ["SOURCE", "Delivery", "DeliveryError", "Problem", "load_deliveries"]
