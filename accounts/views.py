from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, throttle
from accounts.forms import (
    AccountRenameForm,
    EmailLoginForm,
    InvitationCreateForm,
    SignupForm,
    TokenCreateForm,
)
from accounts.services import account_rename, account_signup, api_token_create, api_token_revoke
from config.forms import INVALID, add_service_errors
from config.requests import AppRequest, wants_partial

# One answer for every accepted sign-up, true whether or not the e-mail already had an account:
# a new workspace is ready and an existing one is untouched, and the page cannot tell which.
SIGNUP_DONE = (
    "Thanks for signing up. Log in with your e-mail and the password you chose to open your "
    "workspace. If this e-mail already had a Castless account, nothing about it changed: "
    "log in with its password."
)
# The e-mail a sign-up entered, pre-filled on the login page it leads to.
_SIGNUP_EMAIL = "castless_signup_email"


def safe_next(request: AppRequest) -> str:
    """The `next` address of the request when it stays on this site (an invitation link)."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def forbidden(request: AppRequest, message: str):
    """403 with the reason in plain words, as a page (or the fragment an htmx form swaps in)."""
    template = (
        "accounts/partials/_forbidden.html" if wants_partial(request) else "accounts/forbidden.html"
    )
    return render(request, template, {"message": message}, status=403)


@require_http_methods(["GET", "POST"])
def signup(request: AppRequest):
    """Sign-up never logs in: logging in only a new e-mail's owner would tell everybody which
    e-mails already have an account. Both cases land on the login page with SIGNUP_DONE."""
    if request.user.is_authenticated:
        return redirect("identities:library")
    form = SignupForm(request.POST or None)
    next_url = safe_next(request)
    if request.method == "POST" and form.is_valid():
        try:
            account_signup(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                account_name=form.cleaned_data["account_name"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[_SIGNUP_EMAIL] = form.cleaned_data["email"]
            messages.success(request, SIGNUP_DONE)
            login_url = reverse("accounts:login")
            # An invitation link leads through sign-up and login back to itself.
            return redirect(
                f"{login_url}?{urlencode({'next': next_url})}" if next_url else login_url
            )
    status = INVALID if form.is_bound and form.errors else 200
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        initial = super().get_initial()
        email = self.request.session.pop(_SIGNUP_EMAIL, None)
        if email:
            initial["username"] = email
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not form.is_bound and form.initial.get("username"):
            # Coming from sign-up with the e-mail filled in: the password is what is left to type.
            form.fields["username"].widget.attrs.pop("autofocus", None)
            form.fields["password"].widget.attrs["autofocus"] = True
        return form

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=INVALID)


def login_locked_out(request: AppRequest, original_response=None, credentials=None):
    """django-axes' answer when sign-in is paused for the e-mail or the address: the login page,
    status 429, saying why and for how long (the same words whether or not the e-mail has an
    account)."""
    # axes' async middleware passes (request, credentials): the second argument is then a dict.
    if credentials is None and isinstance(original_response, dict):
        credentials = original_response
    wait = max(1, throttle.signin_retry_after(request, credentials))
    email = (credentials or {}).get(throttle.USERNAME) or ""
    next_url = request.POST.get("next", "") if request.method == "POST" else ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    context = {
        "form": EmailLoginForm(request, initial={"username": email}),
        "next": next_url,
        "paused_for": throttle.pause_in_words(wait),
    }
    response = render(request, "accounts/login.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def settings_context(request: AppRequest, **extra) -> dict:
    membership = selectors.membership_for(request=request)
    account = membership.account
    context = {
        "nav": "settings",
        "account": account,
        "me": membership,
        "is_owner": membership.is_owner,
        "members": selectors.account_members(account=account),
        "workspaces": selectors.user_memberships(user=request.user),
        "invitations": (
            selectors.account_open_invitations(account=account) if membership.is_owner else []
        ),
        "invite_form": InvitationCreateForm(),
        "email_enabled": bool(settings.EMAIL_HOST),
        "tokens": selectors.account_tokens(account=account),
        "token_form": TokenCreateForm(),
        "rename_form": AccountRenameForm(initial={"name": account.name}),
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: AppRequest):
    context = settings_context(request)
    status = 200
    if request.method == "POST":
        if not context["is_owner"]:
            return forbidden(request, "Only a workspace owner can rename the workspace.")
        form = AccountRenameForm(request.POST)
        context["rename_form"] = form
        if form.is_valid():
            try:
                account_rename(
                    account=context["account"], user=request.user, name=form.cleaned_data["name"]
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Workspace renamed.")
                return redirect("accounts:settings")
        status = INVALID if form.errors else 200
    return render(request, "accounts/settings.html", context, status=status)


def _render_tokens(request: AppRequest, *, status: int = 200, **extra):
    context = settings_context(request, **extra)
    template = (
        "accounts/partials/_tokens.html" if wants_partial(request) else "accounts/settings.html"
    )
    return render(request, template, context, status=status)


@login_required
@require_POST
def token_create(request: AppRequest):
    membership = selectors.membership_for(request=request)
    if not membership.is_owner:
        return forbidden(request, "Only a workspace owner can create API tokens.")
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _render_tokens(request, status=INVALID, token_form=form)
    try:
        token, secret = api_token_create(
            account=membership.account, user=request.user, name=form.cleaned_data["name"]
        )
    except PermissionDenied as error:
        return _render_tokens(request, status=403, token_error=str(error))
    except ValidationError as error:
        add_service_errors(form, error)
        return _render_tokens(request, status=INVALID, token_form=form)
    return _render_tokens(request, new_token=token, new_secret=secret)


@login_required
@require_POST
def token_revoke(request: AppRequest, token_id: int):
    membership = selectors.membership_for(request=request)
    if not membership.is_owner:
        return forbidden(request, "Only a workspace owner can revoke API tokens.")
    token = selectors.api_token_get_for(account=membership.account, token_id=token_id)
    try:
        api_token_revoke(token=token, user=request.user)
    except PermissionDenied as error:
        return _render_tokens(request, status=403, token_error=str(error))
    return _render_tokens(request, revoked_token=token)


@login_required
def credits(request: AppRequest):
    membership = selectors.membership_for(request=request)
    if not membership.is_owner:
        return forbidden(
            request, "Only a workspace owner can see the credits and billing of this workspace."
        )
    page = Paginator(selectors.account_ledger(account=membership.account), 25).get_page(
        request.GET.get("page")
    )
    context = {"account": membership.account, "page": page, "nav": "credits"}
    template = (
        "accounts/partials/_ledger.html" if wants_partial(request) else "accounts/credits.html"
    )
    return render(request, template, context)
