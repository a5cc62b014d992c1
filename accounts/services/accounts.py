"""Sign-up, operator account set-up and account settings."""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Account, Membership, Plan
from accounts.services.credits import credits_grant
from accounts.services.roles import owner_require

User = get_user_model()
logger = logging.getLogger(__name__)


def normalize_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


def _user_exists(email: str) -> bool:
    return User.objects.filter(username__iexact=email).exists()


def account_signup(*, email: str, password: str, account_name: str) -> User | None:
    """A new person and their own workspace on the free plan, with the starter allowance.

    When the e-mail already has an account, nothing changes and None is returned; the caller
    answers both cases alike, so sign-up never tells whether an e-mail has an account. The
    password rules are checked first for the same reason, and the existing case spends the
    time of hashing the password too.
    """
    email = normalize_email(email)
    user = User(username=email, email=email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    if _user_exists(email):
        logger.info("Sign-up with the e-mail of an existing account: nothing changed.")
        return None
    with transaction.atomic():
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # The same e-mail signed up at the same moment: the other request created it.
            logger.info("Sign-up raced another for the same e-mail: nothing changed.")
            return None
        _workspace_create(user=user, email=email, account_name=account_name)
    return user


def _workspace_create(*, user: User, email: str, account_name: str) -> Account:
    plan = Plan.objects.get(code="free")
    account = Account.objects.create(name=account_name.strip() or email.split("@")[0], plan=plan)
    Membership.objects.create(user=user, account=account, role=Membership.OWNER)
    if plan.starter_credits:
        credits_grant(account=account, amount=plan.starter_credits, reason="Starter allowance")
    return account


@transaction.atomic
def account_provision(
    *, email: str, password: str | None, plan_code: str, credits: int = 0, account_name: str = ""
) -> tuple[User, Account, bool]:
    """Operators' set-up: create the user and their account, or update an existing one.

    Returns (user, account, created). `credits` is a grant on top of the current balance.
    """
    email = normalize_email(email)
    try:
        plan = Plan.objects.get(code=plan_code)
    except Plan.DoesNotExist:
        codes = ", ".join(Plan.objects.values_list("code", flat=True))
        raise ValidationError(
            {"plan": f"Unknown plan {plan_code!r}; choose one of {codes}."}
        ) from None
    user = User.objects.filter(username__iexact=email).first()
    created = user is None
    if created:
        if not password:
            raise ValidationError({"password": "A new user needs a password."})
        user = User(username=email, email=email)
    if password:
        user.set_password(password)
    user.save()
    membership = Membership.objects.filter(user=user).select_related("account").first()
    if membership is None:
        account = Account.objects.create(name=account_name or email.split("@")[0], plan=plan)
        Membership.objects.create(user=user, account=account, role=Membership.OWNER)
    else:
        account = membership.account
        account.plan = plan
        if account_name:
            account.name = account_name
        account.save(update_fields=["plan", "name"])
    if credits:
        credits_grant(account=account, amount=credits, reason="Granted by operator")
    account.refresh_from_db()
    return user, account, created


def account_rename(*, account: Account, user, name: str) -> Account:
    owner_require(user=user, account=account, action="rename the workspace")
    account.name = name.strip()
    account.full_clean()
    account.save(update_fields=["name"])
    return account
