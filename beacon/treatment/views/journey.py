"""Pages of the treatment app: journey."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
