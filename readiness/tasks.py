"""Celery tasks: thin, they take ids and call one service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="readiness.ping")
def ping(value: str = "pong") -> str:
    """A health probe: proves a worker is consuming from the broker and can reach the code base."""
    return value
