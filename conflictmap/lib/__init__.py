"""Pure, model-free code: geometry and interval logic (shapely in, shapely out)."""
