"""Reads of the wizard: briefs and the presets Load Preset offers."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Account
from identities.models import Brief, Preset


def brief_get_for(*, account: Account, public_id: str) -> Brief:
    """A brief of the account (teammates may share its link); 404 for anyone else's."""
    brief = Brief.objects.filter(account=account, public_id=public_id).first()
    if brief is None:
        raise Http404("No such brief")
    return brief


def brief_open_for(*, user) -> Brief | None:
    """The user's brief in progress (not generated yet); a database constraint keeps it one."""
    return Brief.objects.filter(user=user, last_job__isnull=True).first()


def preset_list_for(*, account: Account) -> tuple[QuerySet[Preset], QuerySet[Preset]]:
    """(the account's presets, the catalog's), each by name."""
    return (
        Preset.objects.filter(account=account).order_by("name"),
        Preset.objects.filter(account__isnull=True).order_by("name"),
    )


def preset_get_for(*, account: Account, preset_id: int) -> Preset:
    """One of the account's presets or a catalog preset; 404 for another account's."""
    preset = Preset.objects.filter(
        Q(account=account) | Q(account__isnull=True), pk=preset_id
    ).first()
    if preset is None:
        raise Http404("No such preset")
    return preset
