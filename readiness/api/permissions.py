"""Who may do what over the API: shop membership and role, checked on every endpoint and every object.

A user who is not a member of a shop gets 404 for it and for everything in it, exactly as if it did not exist
(never its data, never a hint that it exists); a member whose role does not allow the operation gets 403.
Superusers act as operations managers of every shop (as ``selectors.shops_for_user`` lets them see all).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, OuterRef, Subquery
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, PermissionDenied

from readiness.capabilities import ROLE_CAPABILITIES, Capability, effective_role
from readiness.models import ImportJob, Promotion, Shop, ShopMembership

__all__ = ["ROLE_CAPABILITIES", "Capability", "job_access", "object_access", "promotion_access", "shop_access"]


def role_subquery(user: Any, shop_ref: str = "pk") -> Subquery:
    """The user's role on the shop of the outer row (NULL when not a member): one join, no extra query."""
    return Subquery(ShopMembership.objects.filter(shop=OuterRef(shop_ref), user_id=user.pk).values("role")[:1])


def require(user: Any, role: str | None, need: Capability, *, exists: bool = True) -> None:
    """404 unless the object exists and the user is a member; 403 unless their role allows ``need``."""
    role = effective_role(user, role)
    if role is None or not exists:
        raise NotFound()
    if need not in ROLE_CAPABILITIES.get(role, frozenset()):
        raise PermissionDenied(_("角色 %(role)s 在该店铺无权执行此操作（%(need)s）") % {"role": role, "need": need})


def member_role(user: Any, shop_id: int) -> str | None:
    role = ShopMembership.objects.filter(user_id=user.pk, shop_id=shop_id).values_list("role", flat=True).first()
    return effective_role(user, role)


# Every request resolves its shop (and promotion) and the user's role on it, so these two are plain SQL: one
# round trip each, without the ORM's compilation of a join and a subquery, which costs more than running them.
_MEMBER_ROLE = f"""
    LEFT JOIN {ShopMembership._meta.db_table} m ON m.shop_id = s.id AND m.user_id = %s"""


def shop_access(user: Any, code: str, need: Capability) -> Shop:
    """The shop with this code, if the user may ``need`` in it (one query)."""
    sql = f"SELECT s.*, m.role AS role FROM {Shop._meta.db_table} s {_MEMBER_ROLE} WHERE s.code = %s"
    shop = next(iter(Shop.objects.raw(sql, [user.pk, code])), None)
    # A superuser is a member of every shop, even of one that does not exist: that is still a 404.
    require(user, shop.role if shop else None, need, exists=shop is not None)
    assert shop is not None
    return shop


def promotion_access(user: Any, shop: str, promotion: str, need: Capability) -> Promotion:
    """A promotion of a shop, if the user may ``need`` in that shop (one query; ``promotion.shop`` costs one
    more). A member asking for a promotion that does not exist gets 404 like a non-member."""
    sql = (
        f"SELECT p.*, m.role AS role FROM {Promotion._meta.db_table} p"
        f" JOIN {Shop._meta.db_table} s ON s.id = p.shop_id {_MEMBER_ROLE} WHERE s.code = %s AND p.code = %s"
    )
    promo = next(iter(Promotion.objects.raw(sql, [user.pk, shop, promotion])), None)
    require(user, promo.role if promo else None, need, exists=promo is not None)
    assert promo is not None
    return promo


T = TypeVar("T", bound=Model)


def object_access(user: Any, obj: T | None, shop_id: int | None, need: Capability) -> T:
    """An object found by id elsewhere than under its shop's URL (a finding, a job): 404 unless the user is a
    member of its shop, 403 unless their role allows ``need``."""
    if obj is None or shop_id is None:
        raise NotFound()
    require(user, member_role(user, shop_id), need)
    return obj


def job_access(user: Any, job: ImportJob | None) -> ImportJob:
    """An import job is read by the members of its shop; a job whose bundle has not named its shop yet (an
    upload in the browser) by its author only."""
    if job is not None and job.shop_id is None and job.created_by_id == user.pk:
        return job
    return object_access(user, job, job.shop_id if job else None, Capability.READ)
