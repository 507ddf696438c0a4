"""The production start, driven in a browser."""
