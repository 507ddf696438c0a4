"""The pharmacist's journeys run on a tablet-sized page: a pharmacy counter's screen."""

import pytest
from playwright.sync_api import Browser

from ..conftest import checked_by_axe


@pytest.fixture
def tablet_page(browser: Browser, live_server, transactional_db):
    """A page the size of a tablet's screen held upright (820 by 1180, like an iPad Air)."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 820, "height": 1180},
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    violations = checked_by_axe(page)
    yield page
    context.close()
    assert violations == [], "axe-core found accessibility rules broken"
