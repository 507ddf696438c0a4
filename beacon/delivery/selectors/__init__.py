"""Reads of the delivery app and its record loaders, one module per concept."""
