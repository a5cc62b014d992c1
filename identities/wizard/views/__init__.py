"""The Create wizard's views, one module per step (and the presets and extraction panels)."""
