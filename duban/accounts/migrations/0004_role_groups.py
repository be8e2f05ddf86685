"""The role groups of duban.accounts.roles exist in every database."""

from django.db import migrations

ROLES = ("督查室", "二级督查", "一级督查", "副总督查", "总督查", "督查落实委员会", "联络员", "单位工作人员")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_unit_ranked"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
