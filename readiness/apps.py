from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "双11 备战 Readiness"
    default_auto_field = "django.db.models.BigAutoField"
