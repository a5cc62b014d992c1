from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.services import account_provision, credits_grant


class Command(BaseCommand):
    help = "Create (or refresh) the demo workspace on the pro plan and print its login."

    def handle(self, *args, **options):
        email = settings.CASTLESS_DEMO_EMAIL
        password = settings.CASTLESS_DEMO_PASSWORD
        user, account, created = account_provision(
            email=email, password=password, plan_code="pro", account_name="Demo Studio"
        )
        # Top the balance up to the demo amount rather than adding it on every run.
        missing = settings.CASTLESS_DEMO_CREDITS - account.credit_balance
        if missing > 0:
            credits_grant(account=account, amount=missing, reason="Demo allowance")
            account.refresh_from_db()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo login: {email} / {password}  ({account.plan.name} plan, "
                f"{account.credit_balance} credits)"
            )
        )
