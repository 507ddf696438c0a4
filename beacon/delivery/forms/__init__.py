"""Forms of the delivery pages, one module per concept."""
