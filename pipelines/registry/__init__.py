"""Stage 1, the registry: indicators, targets, datasets, geographies, code lists, delivery
templates and the vocabulary (registry/*.yaml), loaded and checked (`load.py`, `checks.py`),
written to the warehouse's `registry` schema (`tables.py`) and documented (`docs.py`,
`templates.py`)."""

from pipelines.registry.deliveries import Delivery, DeliverySpecError, load_deliveries
from pipelines.registry.load import load_registry
from pipelines.registry.model import REGISTRY_TABLES, Registry, RegistryError

__all__ = [
    "REGISTRY_TABLES",
    "Delivery",
    "DeliverySpecError",
    "Registry",
    "RegistryError",
    "load_deliveries",
    "load_registry",
]
