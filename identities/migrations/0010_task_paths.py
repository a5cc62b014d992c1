"""The task entry points became one module (identities.tasks): point the schedules there."""

from django.db import migrations

MOVES = {
    "identities.tasks.drafts.reap_abandoned_work": "identities.tasks.reap_abandoned_work",
    "identities.tasks.webhooks.webhook_deliver_due": "identities.tasks.webhook_deliver_due",
}


def forward(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for old, new in MOVES.items():
        Schedule.objects.filter(func=old).update(func=new)


def backward(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for old, new in MOVES.items():
        Schedule.objects.filter(func=new).update(func=old)


class Migration(migrations.Migration):
    dependencies = [("identities", "0009_wizard_draft")]
    operations = [migrations.RunPython(forward, backward)]
