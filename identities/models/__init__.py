"""Models of the identities domain, one module per sub-domain."""

from identities.models.flags import FeatureFlag

__all__ = ["FeatureFlag"]
