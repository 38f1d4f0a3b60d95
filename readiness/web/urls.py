from django.urls import path

from readiness.web import views

urlpatterns = [
    path("", views.home, name="home"),
]
