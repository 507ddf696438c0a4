// The prescription form: show the parts that apply to the chosen medicine only (the
// alcohol or sedatives question for methadone, the test dose for Buvidal, the first
// week's extra doses for weekly Buvidal 16 mg). Without JavaScript every part shows, and
// its hint says when it applies. A part with an error message always shows.
const form = document.getElementById("prescription-form");
const medicine = form && form.querySelector("select[name='medicine']");

function showWhatApplies() {
  for (const part of form.querySelectorAll(".beacon-applies-to")) {
    const applies = part.dataset.medicines.split(" ").includes(medicine.value);
    const hasError = part.querySelector(".nhsuk-form-group--error") !== null;
    part.hidden = !(applies || hasError);
  }
}

if (medicine) {
  medicine.addEventListener("change", showWhatApplies);
  showWhatApplies();
}
