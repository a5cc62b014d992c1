"""Opaque public identifiers: nobody can guess or enumerate another account's objects."""

import secrets
import string

_ALPHABET = string.ascii_lowercase + string.digits


def new_identity_code() -> str:
    """12 lowercase alphanumerics (~62 bits), the API's identity_code format."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(12))


def new_job_id(prefix: str = "job") -> str:
    return f"{prefix}_{secrets.token_hex(12)}"
