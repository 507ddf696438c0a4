"""Pages of the treatment app: plans."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
