from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignupForm(forms.Form):
    email = forms.EmailField(
        label="E-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    account_name = forms.CharField(label="Brand or workspace name", max_length=120, required=False)
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password, not only digits.",
    )


class EmailLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Please enter a correct e-mail and password. The password is case-sensitive.",
    }
    # 254 like the sign-up form: no account has a longer e-mail, and the sign-in throttle stores
    # the e-mail of every failed attempt in a 255-character column.
    username = forms.EmailField(
        label="E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Token name", max_length=80, help_text="What will use it, e.g. “PIM sync”."
    )

    def __init__(self, *args, **kwargs):
        # Shares the settings page with the rename form: keep the element ids apart.
        kwargs.setdefault("auto_id", "token_%s")
        super().__init__(*args, **kwargs)


class AccountRenameForm(forms.Form):
    name = forms.CharField(label="Workspace name", max_length=120)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "workspace_%s")
        super().__init__(*args, **kwargs)


class InvitationCreateForm(forms.Form):
    email = forms.EmailField(
        label="Colleague's e-mail",
        max_length=254,
        required=False,
        help_text="Optional: where to e-mail the link. Anyone holding the link can use it once.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "invite_%s")
        super().__init__(*args, **kwargs)
