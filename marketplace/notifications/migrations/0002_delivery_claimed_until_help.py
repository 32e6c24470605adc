# Deliveries are durable work of the outbox (outbox.models.DurableWork): the same fields and
# data; only the help text of claimed_until is new.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delivery",
            name="claimed_until",
            field=models.DateTimeField(
                blank=True,
                help_text="Nobody tries it again before this: the lease of the worker trying it, or when the next try is due after a failed one.",
                null=True,
                verbose_name="claimed until",
            ),
        ),
    ]
