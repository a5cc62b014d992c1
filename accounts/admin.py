from django import forms
from django.contrib import admin, messages
from django.shortcuts import render

from accounts.models import (
    Account,
    ApiToken,
    CreditEntry,
    CreditReservation,
    Invitation,
    Membership,
    Plan,
)
from accounts.services import credits_grant


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "max_size",
        "concurrent_jobs",
        "identity_slots",
        "catalog_tiers",
        "watermark_option",
        "starter_credits",
    ]
    list_editable = ["max_size", "concurrent_jobs", "identity_slots", "watermark_option"]
    ordering = ["position"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class GrantCreditsForm(forms.Form):
    amount = forms.IntegerField(min_value=1, max_value=1_000_000)
    reason = forms.CharField(max_length=200, initial="Granted by admin")


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "plan",
        "credit_balance",
        "credits_reserved",
        "slots",
        "member_count",
        "created_at",
    ]
    list_filter = ["plan"]
    search_fields = ["name", "memberships__user__email"]
    # Balances move only through the ledger (the grant action), never by typing a number.
    readonly_fields = ["credit_balance", "credits_reserved", "created_at"]
    inlines = [MembershipInline]
    actions = ["grant_credits"]

    def get_queryset(self, request):
        from django.db.models import Count

        return (
            super()
            .get_queryset(request)
            .select_related("plan")
            .annotate(_members=Count("memberships", distinct=True))
        )

    @admin.display(description="Members")
    def member_count(self, obj):
        return obj._members

    @admin.display(description="Identity slots (used / limit)")
    def slots(self, obj):
        from accounts.selectors import account_slots_used

        limit = obj.plan.identity_slots
        return f"{account_slots_used(account=obj)} / {'∞' if limit is None else limit}"

    @admin.action(description="Grant credits to the selected accounts")
    def grant_credits(self, request, queryset):
        if "apply" in request.POST:
            form = GrantCreditsForm(request.POST)
            if form.is_valid():
                for account in queryset:
                    credits_grant(
                        account=account,
                        amount=form.cleaned_data["amount"],
                        reason=form.cleaned_data["reason"],
                        by=request.user,
                    )
                self.message_user(
                    request,
                    f"Granted {form.cleaned_data['amount']} credits to {queryset.count()} account(s).",
                    messages.SUCCESS,
                )
                return None
        else:
            form = GrantCreditsForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Grant credits",
            "accounts": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
        }
        return render(request, "admin/accounts/grant_credits.html", context)


@admin.register(CreditEntry)
class CreditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "account",
        "kind",
        "amount",
        "reason",
        "balance_after",
        "reserved_after",
    ]
    list_filter = ["kind"]
    search_fields = ["account__name", "reason"]
    list_select_related = ["account"]

    # The ledger is append-only: admins read it, services write it.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditReservation)
class CreditReservationAdmin(CreditEntryAdmin):
    list_display = ["created_at", "account", "amount", "state", "reason", "settled_at"]
    list_filter = ["state"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "account__name", "prefix"]
    # The secret is never stored; the digest is not shown either.
    exclude = ["digest"]
    readonly_fields = ["account", "name", "prefix", "created_by", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        from django.utils import timezone

        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, f"Revoked {count} token(s).", messages.SUCCESS)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: an invitation's secret exists only in the link the owner copied, so admins
    can see and withdraw invitations (by deleting them) but never make one."""

    list_display = ["account", "email", "created_by", "created_at", "expires_at", "accepted_by"]
    list_filter = ["account"]
    search_fields = ["email", "account__name"]
    exclude = ["digest"]
    readonly_fields = [
        "account",
        "email",
        "created_by",
        "created_at",
        "expires_at",
        "accepted_by",
        "accepted_at",
        "revoked_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
