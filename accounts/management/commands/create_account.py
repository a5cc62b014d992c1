from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import account_provision


class Command(BaseCommand):
    help = "Create a user and their workspace, or update an existing one (plan, password, credits)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--password", help="Set (or reset) the password.")
        parser.add_argument("--plan", default="free", help="free, basic, pro or enterprise.")
        parser.add_argument("--credits", type=int, default=0, help="Credits to grant now.")
        parser.add_argument("--account-name", default="", help="Workspace name.")

    def handle(self, *args, email, password, plan, credits, account_name, **options):
        if credits < 0:
            raise CommandError("--credits must be zero or more")
        try:
            user, account, created = account_provision(
                email=email,
                password=password,
                plan_code=plan,
                credits=credits,
                account_name=account_name,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        verb = "Created" if created else "Updated"
        self.stdout.write(
            f"{verb} {user.email}: workspace “{account.name}”, plan {account.plan.code}, "
            f"{account.credit_balance} credits available."
        )
