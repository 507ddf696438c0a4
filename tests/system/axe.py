"""axe-core, from npm like the other front-end packages, run on the page a journey shows.

The engine is the npm package's own build (`node_modules/axe-core/axe.min.js`, pinned in
package.json and installed by `make deps`), put into the page through the browser's
debugging protocol, which the Content-Security-Policy does not govern."""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run `make deps` (npm ci).")
    return AXE_SCRIPT.read_text()


def axe_violations(page: Page) -> list[str]:
    """Every rule axe-core finds broken on the page as it stands, one line each: the rule,
    its impact, what it asks, and where (up to three elements)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    violations = page.evaluate(
        """async () => {
            // One run at a time: a journey's own check waits for the one its page load began.
            const previous = window.__beaconAxeRun || Promise.resolve();
            window.__beaconAxeRun = previous.catch(() => null).then(
                () => window.axe.run(document, {resultTypes: ["violations"]})
            );
            const results = await window.__beaconAxeRun;
            return results.violations.map(rule => ({
                id: rule.id,
                impact: rule.impact,
                help: rule.help,
                targets: rule.nodes.slice(0, 3).map(node => node.target.join(" ")),
            }));
        }"""
    )
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']} at {', '.join(rule['targets'])}"
        for rule in violations
    ]
