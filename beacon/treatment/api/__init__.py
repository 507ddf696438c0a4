"""The treatment JSON API, one router per concept (journey, plans, tops), each registered
under /treatment/ by `TreatmentConfig.ready()`."""
