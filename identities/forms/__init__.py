"""Forms of the identities pages, one module per page family."""
