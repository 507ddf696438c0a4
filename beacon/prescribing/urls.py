"""Pages of the prescribing app (the views module lists its own URLs)."""

from beacon.prescribing import views

app_name = "prescribing"

urlpatterns = views.urlpatterns
