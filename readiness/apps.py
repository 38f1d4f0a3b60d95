from __future__ import annotations

from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "readiness"
    verbose_name = "双11 备战 Readiness"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext

        from readiness import system_checks  # noqa: F401 (registers the checks readiness.E001-E004)
        from readiness.imports import bundle

        # Bundle errors are Chinese templates, translated when shown (the pure layer imports no Django).
        bundle.set_translator(gettext)
