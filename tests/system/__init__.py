"""Browser journeys (Playwright), in folders by the person who starts each journey."""
