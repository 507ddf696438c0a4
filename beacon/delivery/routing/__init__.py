"""Delivery-round planning: which driver takes which stops, in what order, at what times.

Pure code with no Django in it, so the web app, the `plan_rounds` command and the
benchmark all call the same thing: build a DeliveryProblem, call plan_day, read the
DeliveryPlan. day_json reads and writes the command's JSON form.
"""

from beacon.delivery.routing.day_json import plan_to_json, problem_from_json
from beacon.delivery.routing.planner import (
    DeliveryPlan,
    PlannedRoute,
    PlannedVisit,
    UnassignedStop,
    plan_day,
)
from beacon.delivery.routing.problem import (
    DeliveryInputError,
    DeliveryProblem,
    Driver,
    Place,
    Stop,
    TravelSpeed,
)

__all__ = [
    "DeliveryInputError",
    "DeliveryPlan",
    "DeliveryProblem",
    "Driver",
    "Place",
    "PlannedRoute",
    "PlannedVisit",
    "Stop",
    "TravelSpeed",
    "UnassignedStop",
    "plan_day",
    "plan_to_json",
    "problem_from_json",
]
