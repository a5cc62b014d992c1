from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for the workspace of EMAIL (its owner) and print it once."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="Command-line token")

    def handle(self, *args, email, name, **options):
        user = get_user_model().objects.filter(username__iexact=email.strip()).first()
        if user is None or user.membership is None:
            raise CommandError(f"No user with a workspace for {email}")
        try:
            _, secret = api_token_create(account=user.membership.account, user=user, name=name)
        except (PermissionDenied, ValidationError) as error:
            message = (
                "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            )
            raise CommandError(message) from None
        # Only the secret on stdout, so scripts can capture it: TOKEN=$(manage.py create_api_token …)
        self.stdout.write(secret)
