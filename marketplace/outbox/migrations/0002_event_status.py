# Events get the status of every kind of durable work (outbox.models.DurableWork). Existing
# events keep their meaning: handled ones are done; the rest are pending, except those that
# already failed as often as OUTBOX_MAX_ATTEMPTS now allows (before, they were relayed
# forever), which are failed with their last error, for admin to run again.

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def status_from_handled_at(apps, schema_editor):
    Event = apps.get_model("outbox", "Event")
    Event.objects.filter(handled_at__isnull=False).update(status="done")
    Event.objects.filter(
        handled_at__isnull=True, attempts__gte=settings.OUTBOX_MAX_ATTEMPTS
    ).exclude(last_error="").update(status="failed", claimed_until=None)


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="status",
            field=models.CharField(
                choices=[("pending", "Pending"), ("done", "Done"), ("failed", "Failed")],
                default="pending",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(status_from_handled_at, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="event",
            name="outbox_event_unhandled",
        ),
        migrations.AlterField(
            model_name="event",
            name="claimed_until",
            field=models.DateTimeField(
                blank=True,
                help_text="Nobody tries it again before this: the lease of the worker trying it, or when the next try is due after a failed one.",
                null=True,
                verbose_name="claimed until",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="created_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="created at"
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["created_at"],
                name="outbox_event_pending",
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(
                condition=models.Q(("status", "failed")),
                fields=["-created_at"],
                name="outbox_event_failed",
            ),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("handled_at__isnull", False), ("status", "done")),
                    models.Q(
                        models.Q(("status", "done"), _negated=True),
                        ("handled_at__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="event_handled_at_iff_done",
            ),
        ),
    ]
