"""Models of the identities domain, one module per sub-domain."""

from identities.models.blocklist import BlockedTerm
from identities.models.flags import FeatureFlag

__all__ = ["BlockedTerm", "FeatureFlag"]
