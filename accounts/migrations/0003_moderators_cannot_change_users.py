"""Moderators look accounts up but no longer change them: with ``accounts.change_user`` a
moderator could make themselves a superuser. Taken from the "Moderators" group of databases
that have one (``seed_demo`` creates it, and no longer grants it); no other group is touched.

Not reversible on purpose: going back a migration must not hand the permission back.
"""

from django.db import migrations

MODERATORS_GROUP = "Moderators"


def moderators_cannot_change_users(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.permissions.through.objects.filter(
        group__name=MODERATORS_GROUP,
        permission__content_type__app_label="accounts",
        permission__codename="change_user",
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_trigram"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(moderators_cannot_change_users, migrations.RunPython.noop),
    ]
