"""Writes for the accounts domain. Views, the API, admin and commands call these only."""

from accounts.services.accounts import account_provision, account_rename, account_signup
from accounts.services.credits import (
    credits_capture,
    credits_charge,
    credits_grant,
    credits_release,
    credits_reserve,
)
from accounts.services.roles import owner_require
from accounts.services.team import (
    invitation_accept,
    invitation_create,
    invitation_email_send,
    invitation_revoke,
    membership_remove,
    membership_set_role,
)
from accounts.services.tokens import api_token_authenticate, api_token_create, api_token_revoke

# A domain refusal like the others (config.refusals); named here too because the ledger is what
# raises it and callers have always imported it with the ledger's functions.
from config.refusals import InsufficientCredits

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
    "invitation_accept",
    "invitation_create",
    "invitation_email_send",
    "invitation_revoke",
    "membership_remove",
    "membership_set_role",
    "owner_require",
]
