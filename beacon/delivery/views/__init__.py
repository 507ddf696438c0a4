"""Pages of the delivery app, one module per concept (their URLs are in urls.py)."""
