"""The team pages: invitations, members, roles, leaving, and switching workspaces.

Owner-only actions answer 403 with the reason before any service runs; the services check the
role again, so a caller that skips these views (a command, a test) meets the same rule.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors
from accounts.forms import InvitationCreateForm
from accounts.middleware import WORKSPACE_SESSION_KEY
from accounts.models import Membership
from accounts.services import (
    invitation_accept,
    invitation_create,
    invitation_email_send,
    invitation_revoke,
    membership_remove,
    membership_set_role,
)
from accounts.services.team import INVITATION_CLOSED
from accounts.views import forbidden, settings_context
from config.forms import INVALID, add_service_errors
from config.requests import AppRequest, wants_partial


def _render_team(request: AppRequest, *, status: int = 200, **extra):
    context = settings_context(request, **extra)
    template = (
        "accounts/partials/_team.html" if wants_partial(request) else "accounts/settings.html"
    )
    return render(request, template, context, status=status)


def _owner_or_none(request: AppRequest, action: str):
    membership = selectors.membership_for(request=request)
    if not membership.is_owner:
        return membership, forbidden(request, f"Only a workspace owner can {action}.")
    return membership, None


@login_required
@require_POST
def invitation_new(request: AppRequest):
    membership, denied = _owner_or_none(request, "invite members")
    if denied:
        return denied
    form = InvitationCreateForm(request.POST)
    if not form.is_valid():
        return _render_team(request, status=INVALID, invite_form=form)
    try:
        invitation, secret = invitation_create(
            account=membership.account, user=request.user, email=form.cleaned_data["email"]
        )
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_team(request, status=INVALID, invite_form=form)
    link = request.build_absolute_uri(reverse("accounts:invitation_open", args=[secret]))
    emailed = invitation_email_send(invitation=invitation, link=link)
    return _render_team(request, new_invitation=invitation, invite_link=link, emailed=emailed)


@login_required
@require_POST
def invitation_withdraw(request: AppRequest, invitation_id: int):
    membership, denied = _owner_or_none(request, "withdraw invitations")
    if denied:
        return denied
    invitation = selectors.invitation_get_for(
        account=membership.account, invitation_id=invitation_id
    )
    invitation_revoke(invitation=invitation, user=request.user)
    return _render_team(request, team_notice="Invitation withdrawn: its link no longer works.")


@login_required
@require_POST
def member_remove(request: AppRequest, membership_id: int):
    """An owner removes a member, or anyone leaves (their own row)."""
    current = selectors.membership_for(request=request)
    target = selectors.member_get_for(account=current.account, membership_id=membership_id)
    leaving = target.user_id == request.user.pk
    if not leaving and not current.is_owner:
        return forbidden(request, "Only a workspace owner can remove members.")
    try:
        membership_remove(membership=target, user=request.user)
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except ValidationError as error:
        return _render_team(request, status=INVALID, team_error=" ".join(error.messages))
    if leaving:
        request.session.pop(WORKSPACE_SESSION_KEY, None)
        messages.success(request, f"You left {current.account.name}.")
        return redirect("identities:library")
    return _render_team(request, team_notice=f"{target.user.email} was removed from the workspace.")


@login_required
@require_POST
def member_role(request: AppRequest, membership_id: int):
    current, denied = _owner_or_none(request, "change roles")
    if denied:
        return denied
    target = selectors.member_get_for(account=current.account, membership_id=membership_id)
    try:
        membership_set_role(membership=target, user=request.user, role=request.POST.get("role", ""))
    except PermissionDenied as error:
        return forbidden(request, str(error))
    except ValidationError as error:
        return _render_team(request, status=INVALID, team_error=" ".join(error.messages))
    return _render_team(
        request, team_notice=f"{target.user.email} is now {target.get_role_display().lower()}."
    )


@login_required
@require_POST
def workspace_switch(request: AppRequest):
    try:
        account_id = int(request.POST.get("account", ""))
    except ValueError:
        raise Http404("No such workspace") from None
    membership = (
        Membership.objects.select_related("account")
        .filter(user_id=request.user.pk, account_id=account_id)
        .first()
    )
    # Someone else's workspace is indistinguishable from one that does not exist.
    if membership is None:
        raise Http404("No such workspace")
    request.session[WORKSPACE_SESSION_KEY] = membership.account_id
    messages.success(request, f"Switched to {membership.account.name}.")
    # The library, not the page the switch was made on: that page (an identity, a job) most
    # likely belongs to the workspace just left and would answer 404.
    return redirect("identities:library")


@require_http_methods(["GET", "POST"])
def invitation_open(request: AppRequest, secret: str):
    """The page an invitation link opens. Signed out: sign up or log in, both coming back here.
    Signed in: a Join button (a POST, so a mail scanner that follows links cannot spend it).

    The page never depends on whether any e-mail has an account: sign-up answers alike for
    new and existing e-mails, and the invitation's own address is not shown to the visitor."""
    invitation = selectors.invitation_open_by_secret(raw=secret)
    if invitation is None:
        return render(
            request, "accounts/invitation.html", {"closed": INVITATION_CLOSED}, status=404
        )
    here = reverse("accounts:invitation_open", args=[secret])
    context = {"invitation": invitation, "here": here}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={here}")
        try:
            membership = invitation_accept(invitation=invitation, user=request.user)
        except ValidationError:
            return render(
                request, "accounts/invitation.html", {"closed": INVITATION_CLOSED}, status=404
            )
        request.session[WORKSPACE_SESSION_KEY] = membership.account_id
        messages.success(request, f"You joined {invitation.account.name}.")
        return redirect("identities:library")
    if request.user.is_authenticated:
        context["already"] = (
            selectors.user_memberships(user=request.user)
            .filter(account_id=invitation.account_id)
            .exists()
        )
    return render(request, "accounts/invitation.html", context)
