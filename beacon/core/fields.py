"""Model fields Beacon adds to Django's."""

from django.core.validators import MaxLengthValidator
from django.db import models


class BoundedTextField(models.TextField):
    """Free text whose max_length is checked by full_clean(), not only by forms.

    Django's TextField passes max_length to form widgets alone, so writes through the
    API or a service could store more; this checks it wherever a record is validated.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(MaxLengthValidator(self.max_length))
