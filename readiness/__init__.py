"""The Django project and its app: catalogue import, readiness checks, reports, API and web."""

from readiness.celery import app as celery_app

__all__ = ["celery_app"]
