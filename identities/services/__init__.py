"""Writes for the identities domain, one module per sub-domain. Views, the API, admin actions
and tasks call these; nothing else changes identities' state."""
