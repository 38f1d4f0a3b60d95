"""Template views for people in a browser."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from readiness.selectors import shops_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "readiness/home.html", {"shops": shops_for_user(user=request.user)})
