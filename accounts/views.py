from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors
from accounts.forms import AccountRenameForm, EmailLoginForm, SignupForm, TokenCreateForm
from accounts.services import account_rename, account_signup, api_token_create, api_token_revoke
from config.forms import INVALID, add_service_errors
from config.requests import AppRequest, wants_partial


@require_http_methods(["GET", "POST"])
def signup(request: AppRequest):
    if request.user.is_authenticated:
        return redirect("identities:library")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_signup(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                account_name=form.cleaned_data["account_name"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="accounts.backends.EmailBackend")
            messages.success(request, "Welcome to Castless. Your workspace is ready.")
            return redirect("identities:library")
    status = INVALID if form.is_bound and form.errors else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=INVALID)


def _settings_context(request: AppRequest, **extra) -> dict:
    membership = selectors.membership_for(user=request.user)
    account = membership.account
    context = {
        "nav": "settings",
        "account": account,
        "is_owner": membership.is_owner,
        "members": selectors.account_members(account=account),
        "tokens": selectors.account_tokens(account=account),
        "token_form": TokenCreateForm(),
        "rename_form": AccountRenameForm(initial={"name": account.name}),
    }
    context.update(extra)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: AppRequest):
    context = _settings_context(request)
    status = 200
    if request.method == "POST":
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
    context = _settings_context(request, **extra)
    template = (
        "accounts/partials/_tokens.html" if wants_partial(request) else "accounts/settings.html"
    )
    return render(request, template, context, status=status)


@login_required
@require_POST
def token_create(request: AppRequest):
    membership = selectors.membership_for(user=request.user)
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
    membership = selectors.membership_for(user=request.user)
    token = selectors.api_token_get_for(account=membership.account, token_id=token_id)
    try:
        api_token_revoke(token=token, user=request.user)
    except PermissionDenied as error:
        return _render_tokens(request, status=403, token_error=str(error))
    return _render_tokens(request, revoked_token=token)


@login_required
def credits(request: AppRequest):
    membership = selectors.membership_for(user=request.user)
    page = Paginator(selectors.account_ledger(account=membership.account), 25).get_page(
        request.GET.get("page")
    )
    context = {"account": membership.account, "page": page, "nav": "credits"}
    template = (
        "accounts/partials/_ledger.html" if wants_partial(request) else "accounts/credits.html"
    )
    return render(request, template, context)
