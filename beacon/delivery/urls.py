"""Pages of the delivery app (the views module lists the register's URLs)."""

from beacon.delivery import views

app_name = "delivery"

urlpatterns: list = [*views.urlpatterns]
