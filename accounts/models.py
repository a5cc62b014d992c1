from django.conf import settings
from django.db import models
from django.db.models import Q

SIZE_CHOICES = [("1K", "1K"), ("2K", "2K"), ("4K", "4K")]
SIZE_ORDER = {"1K": 1, "2K": 2, "4K": 3}


class Plan(models.Model):
    """A commercial plan and the policies it grants. Admins edit the numbers in Django admin."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=64)
    max_size = models.CharField(max_length=2, choices=SIZE_CHOICES, default="1K")
    concurrent_jobs = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty means unlimited."
    )
    identity_slots = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty means unlimited."
    )
    catalog_tiers = models.JSONField(
        default=list, help_text='Catalog tiers usable on this plan, e.g. ["free", "basic"].'
    )
    watermark_option = models.BooleanField(
        default=False, help_text="Honour the add_ai_watermark job option (otherwise ignored)."
    )
    starter_credits = models.PositiveIntegerField(
        default=0, help_text="Credits granted to a new account that signs up on this plan."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    def allows_size(self, size: str) -> bool:
        return SIZE_ORDER.get(size, 99) <= SIZE_ORDER[self.max_size]


class Account(models.Model):
    """A brand workspace: members, a plan, a credit balance kept as a ledger."""

    name = models.CharField(max_length=120)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="accounts")
    # Denormalised from the ledger and only ever changed by conditional UPDATEs in
    # accounts.services.credits, in the same transaction as the ledger entry.
    credit_balance = models.BigIntegerField(default=0)
    credits_reserved = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(credit_balance__gte=0), name="account_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(credits_reserved__gte=0), name="account_reserved_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    OWNER = "owner"
    MEMBER = "member"
    ROLE_CHOICES = [(OWNER, "Owner"), (MEMBER, "Member")]

    # A person may work in several brand workspaces (their own and the teams that invited
    # them); the web session says which one is open, an API token belongs to exactly one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=ROLE_CHOICES, default=MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="membership_once_per_account"),
            models.CheckConstraint(
                condition=Q(role__in=["owner", "member"]), name="membership_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.account} ({self.role})"

    @property
    def is_owner(self) -> bool:
        return self.role == self.OWNER


class CreditEntry(models.Model):
    """One line of the credit ledger. Never updated, never deleted."""

    GRANT = "grant"
    RESERVE = "reserve"
    CAPTURE = "capture"
    RELEASE = "release"
    CHARGE = "charge"
    KIND_CHOICES = [
        (GRANT, "Grant"),
        (RESERVE, "Reserve"),
        (CAPTURE, "Capture"),
        (RELEASE, "Release"),
        (CHARGE, "Charge"),
    ]

    # Indexed by the (account, -created_at) index below, which leads with it.
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="ledger", db_index=False
    )
    kind = models.CharField(max_length=16, choices=KIND_CHOICES)
    amount = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)
    reservation = models.ForeignKey(
        "CreditReservation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
    )
    # Balances right after this entry, so the history page reads without recomputation.
    balance_after = models.BigIntegerField()
    reserved_after = models.BigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_entry_amount_positive"),
        ]
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} ({self.reason})"


class CreditReservation(models.Model):
    """Credits held for one piece of work (a draft); settled exactly once."""

    HELD = "held"
    CAPTURED = "captured"
    RELEASED = "released"
    STATE_CHOICES = [(HELD, "Held"), (CAPTURED, "Captured"), (RELEASED, "Released")]

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="reservations")
    amount = models.PositiveIntegerField()
    state = models.CharField(max_length=16, choices=STATE_CHOICES, default=HELD)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="reservation_amount_positive"),
            models.CheckConstraint(
                condition=Q(state="held", settled_at__isnull=True)
                | Q(~Q(state="held"), settled_at__isnull=False),
                name="reservation_settled_when_not_held",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.state} ({self.reason})"


class ApiToken(models.Model):
    """A bearer token for /api/v2. The secret is shown once; only its SHA-256 is kept."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    # The first characters of the token, to recognise it in lists ("cl_AbCd…").
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_name_unique_while_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Invitation(models.Model):
    """A link that lets one person join a workspace as a member.

    Like an API token the secret is shown once and only its SHA-256 is kept, so a copy of the
    database cannot be used to join anybody's workspace. It works once and until `expires_at`.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="invitations")
    # Where the link was e-mailed, if anywhere; anyone holding the link may accept it.
    email = models.EmailField(max_length=254, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_accepted_or_revoked_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.account} ({self.email or 'link'})"

    def is_open(self, now) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
