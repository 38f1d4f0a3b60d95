"""API credentials: a user, their role on a shop, and their DRF token (``create_api_token``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from readiness.models import Role, Shop, ShopMembership


@dataclass(frozen=True)
class IssuedToken:
    key: str
    user_created: bool
    role_changed_from: str | None  # the role the user had on the shop before, if it was another one


def api_token_issue(*, username: str, shop: Shop, role: str = Role.API_CLIENT) -> IssuedToken:
    """Create the user if needed (without a password: it signs in with the token only), grant ``role`` on
    ``shop`` (replacing another role on that shop) and return the user's token, created if needed."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r} (one of {', '.join(Role.values)})")
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(**{User.USERNAME_FIELD: username})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        membership = ShopMembership.objects.filter(user=user, shop=shop).first()
        previous = None
        if membership is None:
            membership = ShopMembership(user=user, shop=shop, role=role)
            membership.full_clean()
            membership.save()
        elif membership.role != role:
            previous = membership.role
            membership.role = role
            membership.save(update_fields=["role"])
        token, _ = Token.objects.get_or_create(user=user)
    return IssuedToken(key=token.key, user_created=created, role_changed_from=previous)
