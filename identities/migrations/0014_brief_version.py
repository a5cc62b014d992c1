from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("identities", "0013_merge_face_count_brief"),
    ]

    operations = [
        migrations.AddField(
            model_name="brief",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
    ]
