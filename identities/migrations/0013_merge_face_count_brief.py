"""Joins two migrations written side by side on 0010 (the draft's face count, the brief's new
name); neither changes what the other touches, so their order does not matter."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("identities", "0011_draft_face_count"),
        ("identities", "0012_rename_wizarddraft_brief"),
    ]

    operations = []
