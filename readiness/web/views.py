"""Template views for people in a browser: the shop list and the shop switcher.

The pages of one shop and promotion live in modules by role: ``dashboard`` (operations), ``editor`` (listing
editors), ``imports`` (uploads). Every view is thin: it resolves the shop through ``access.scope`` (404 for a
shop the user is not a member of), calls a query or a service, and renders.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from readiness.capabilities import may_add_shop
from readiness.web import access


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    shops = access.user_shops(request)
    # the import entry: a shop can be added by those ``capabilities.may_add_shop`` allows
    can_add_shop = may_add_shop(request.user, [getattr(s, "member_role", None) for s in shops])
    return render(request, "readiness/home.html", {"shops": shops, "can_add_shop": can_add_shop})


@login_required
@require_GET
def switch(request: HttpRequest) -> HttpResponse:
    """The shop switcher's target: the chosen shop's dashboard for the chosen promotion (or its latest)."""
    code = request.GET.get("shop", "")
    shop = next((s for s in access.user_shops(request) if s.code == code), None)
    if shop is None:
        raise Http404("no such shop")
    promotions = list(shop.promotions.all())
    chosen = next((p for p in promotions if p.code == request.GET.get("promotion")), None)
    chosen = chosen or (promotions[0] if promotions else None)
    if chosen is None:
        return redirect("home")
    return redirect("dashboard", shop.code, chosen.code)
