"""Pages of the treatment journey; each views module lists its own URLs."""

from beacon.treatment.views import journey, plans

app_name = "treatment"

urlpatterns = [*journey.urlpatterns, *plans.urlpatterns]
