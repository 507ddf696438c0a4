// Start the NHS.UK frontend components on every page.
import { initAll } from "/static/nhsuk/nhsuk-frontend.min.js";

// A table wider than the screen scrolls sideways in its .beacon-table-scroll box: the box
// takes keyboard focus, named after the table's caption or the heading before it, so someone
// without a mouse can scroll it too.
function focusableScrollBoxes(scope) {
  for (const box of scope.querySelectorAll(".beacon-table-scroll:not([tabindex])")) {
    let heading = box.querySelector("caption");
    for (let before = box.previousElementSibling; !heading && before; before = before.previousElementSibling) {
      if (/^H[1-6]$/.test(before.tagName)) heading = before;
    }
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    // "Table: …", so it never shares a name with the section its heading names.
    box.setAttribute("aria-label", heading ? `Table: ${heading.textContent.trim()}` : "Table");
  }
}

initAll();
focusableScrollBoxes(document);
document.body.addEventListener("htmx:afterSwap", (event) => {
  initAll({ scope: event.target });
  focusableScrollBoxes(event.target);
});
