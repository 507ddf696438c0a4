"""Pages of the delivery app."""

app_name = "delivery"

urlpatterns: list = []
