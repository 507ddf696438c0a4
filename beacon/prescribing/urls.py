"""Pages of the prescribing app."""

app_name = "prescribing"

urlpatterns: list = []
