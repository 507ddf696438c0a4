"""The delivery endpoints of the JSON API, one router per concept (registered in apps.py)."""
