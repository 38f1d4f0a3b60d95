"""The after-sales check no longer has ``after_sales.max_orders_per_agent``: staffing is forecast per role and day
from the rule pack's handling times (docs/after_sales.md). A shop override of the retired key would make the
shop's rule pack fail to load (system check readiness.E002 and every scan), so it is removed."""

from django.db import migrations

RETIRED = ["after_sales.max_orders_per_agent"]


def remove_retired_overrides(apps, schema_editor):
    apps.get_model("readiness", "ShopRuleOverride").objects.filter(key__in=RETIRED).delete()


class Migration(migrations.Migration):
    dependencies = [("readiness", "0004_listing_images")]

    operations = [migrations.RunPython(remove_retired_overrides, migrations.RunPython.noop)]
