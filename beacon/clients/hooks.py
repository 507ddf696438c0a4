"""What apps above clients add to the client page. They register in their
`AppConfig.ready()`; clients asks through this and imports none of them."""

from collections.abc import Callable

from beacon.core.registry import Registry

# Each is called as section(client, user, origin=…) when the client page is shown and
# returns None (nothing to show this user: the section checks its own permission against
# the client, and audits its own read) or a dict:
#   {"id": "…", "title": "…", "rows": [summary-list rows], "links": [{"text", "href"}]}
# or, for more than a summary list, {"id", "title", "template": "app/…html", "context": {…}}.
# Rows come from the registering app's presenters, so clients formats nothing of theirs.
client_page_sections: Registry[Callable[..., dict | None]] = Registry("client page sections")
