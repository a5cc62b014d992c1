from django.core.management.base import BaseCommand

from catalog.briefs import CATALOG
from catalog.services import catalog_seed


class Command(BaseCommand):
    help = "Create the public catalog identities that do not exist yet (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Seed only the first N.")

    def handle(self, *args, limit, **options):
        created = catalog_seed(limit=limit)
        total = len(CATALOG) if limit is None else min(limit, len(CATALOG))
        self.stdout.write(
            self.style.SUCCESS(
                f"Catalog: {len(created)} identities created, {total} in the seed list."
            )
        )
