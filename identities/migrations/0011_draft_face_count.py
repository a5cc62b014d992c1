from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("identities", "0010_task_paths")]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="face_count",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
    ]
