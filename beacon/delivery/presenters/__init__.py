"""How delivery records are shown (table rows, map data, labels), one module per concept."""
