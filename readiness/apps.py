from __future__ import annotations

from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "双11 备战 Readiness"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from readiness import system_checks  # noqa: F401 (registers the checks readiness.E001-E004)
