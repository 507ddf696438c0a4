"""Writes of the delivery app, one module per concept."""
