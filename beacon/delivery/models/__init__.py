"""The delivery app's models, one module per concept; re-exported here, where Django looks."""

from beacon.delivery.models.planning import DeliveryRound, DeliveryStop
from beacon.delivery.models.police import PoliceNoticeSent
from beacon.delivery.models.register import (
    APPEND_ONLY,
    PATIENT_RETURNS_APPEND_ONLY,
    QUANTITY,
    UNITS,
    PatientReturn,
    RegisterBalance,
    RegisterEntry,
    parcel_quantity,
    register_unit,
)
from beacon.delivery.models.setup import (
    REGISTRATION_PATTERNS,
    ClientDeliveryDetails,
    DeliverySetup,
    DriverShift,
    Vehicle,
    normalise_registration,
    validate_registration,
)

__all__ = [
    "APPEND_ONLY",
    "PATIENT_RETURNS_APPEND_ONLY",
    "QUANTITY",
    "REGISTRATION_PATTERNS",
    "UNITS",
    "ClientDeliveryDetails",
    "DeliveryRound",
    "DeliverySetup",
    "DeliveryStop",
    "DriverShift",
    "PatientReturn",
    "PoliceNoticeSent",
    "RegisterBalance",
    "RegisterEntry",
    "Vehicle",
    "normalise_registration",
    "parcel_quantity",
    "register_unit",
    "validate_registration",
]
