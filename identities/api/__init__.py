"""The identities part of the JSON API v2, one router module per area."""
