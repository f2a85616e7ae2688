"""Map layers: one module per layer, discovered into a registry.

A module becomes a layer by defining ``LAYER``, an instance of
:class:`layers.base.MapLayer`. The page builds its toggles from :func:`registry`,
so adding a layer is adding one module.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from layers.base import MapLayer


@cache
def registry() -> tuple[MapLayer, ...]:
    """All layers in drawing order (bottom first)."""
    found: list[MapLayer] = []
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        layer = getattr(module, "LAYER", None)
        if isinstance(layer, MapLayer):
            found.append(layer)
    ids = [layer.id for layer in found]
    duplicates = {layer_id for layer_id in ids if ids.count(layer_id) > 1}
    if duplicates:
        raise RuntimeError(f"duplicate layer ids: {sorted(duplicates)}")
    return tuple(sorted(found, key=lambda layer: layer.z_order))


def layer_by_id(layer_id: str) -> MapLayer:
    """The registered layer with this id, or a KeyError listing the known ids."""
    for layer in registry():
        if layer.id == layer_id:
            return layer
    known = ", ".join(layer.id for layer in registry())
    raise KeyError(f"unknown layer {layer_id!r}; known layers: {known}")
