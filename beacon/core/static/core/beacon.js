// Start the NHS.UK frontend components on every page.
import { initAll } from "/static/nhsuk/nhsuk-frontend.min.js";

initAll();
document.body.addEventListener("htmx:afterSwap", (event) => initAll({ scope: event.target }));
