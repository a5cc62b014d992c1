"""Writes for the accounts domain. Views, the API, admin and commands call these only."""

from accounts.services.accounts import account_provision, account_rename, account_signup
from accounts.services.credits import (
    InsufficientCredits,
    credits_capture,
    credits_charge,
    credits_grant,
    credits_release,
    credits_reserve,
)
from accounts.services.tokens import api_token_authenticate, api_token_create, api_token_revoke

__all__ = [
    "InsufficientCredits",
    "account_provision",
    "account_rename",
    "account_signup",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "credits_capture",
    "credits_charge",
    "credits_grant",
    "credits_release",
    "credits_reserve",
]
