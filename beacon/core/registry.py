"""Where higher apps tell lower ones what they add: API routers, menu entries, home pages,
the sections of a role's worklist, demo data, and checks a lower app asks ("may this client
be discharged?"). Each app registers its own in `AppConfig.ready()`; core and the lower
apps know no higher app."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered list that apps add to when Django starts, read wherever it is needed."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: list[T] = []

    def register(self, entry: T) -> T:
        """Add `entry` once (registering the same entry twice keeps one); returns it, so
        a function can be registered with `@registry.register`."""
        if entry not in self._entries:
            self._entries.append(entry)
        return entry

    def __iter__(self):
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)


@dataclass(frozen=True)
class ApiRouter:
    prefix: str  # e.g. "/clients/"
    router: Any  # a ninja Router


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    permission: str
    order: int  # position in the header menu, low first


@dataclass(frozen=True)
class DemoSeed:
    """One app's part of `seed_demo`: `seed(rng, org, stdout)` returns a one-line summary."""

    order: int  # apps that others build on seed first
    label: str  # what the command prints while it loads, e.g. "treatment journeys"
    seed: Callable[..., str]


@dataclass(frozen=True)
class WorklistSection:
    """One part of the worklist a role starts its day on (the home page), from the app that
    owns the data. `build(user=, today=)` runs that app's selector and returns its
    presenter's `core.presenters.Worklist`, or None when there is nothing to show."""

    order: int  # position on the page, low first
    roles: frozenset[str]  # whose home shows it
    permission: str  # and only to a user this permission allows
    build: Callable[..., Any]


api_routers: Registry[ApiRouter] = Registry("API routers")
menu_entries: Registry[MenuEntry] = Registry("menu entries")
home_pages: dict[str, str] = {}  # role → URL name of the page where that role starts its day
demo_seeds: Registry[DemoSeed] = Registry("demo seeds")
worklist_sections: Registry[WorklistSection] = Registry("worklist sections")
