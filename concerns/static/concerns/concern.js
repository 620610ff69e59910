// The zorgroute form: take the chosen category's default urgency unless the user already
// chose one.
(function () {
  "use strict";
  var form = document.getElementById("concern-form");
  if (!form) { return; }
  var urgencyTouched = form.dataset.bound === "true";  // after an error the choice stays
  // The pupil is picked with the shared combobox (static/js/combobox.js).

  form.querySelectorAll("input[name=urgency]").forEach(function (radio) {
    radio.addEventListener("change", function () { urgencyTouched = true; });
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "concern-guidance" || urgencyTouched) { return; }
    var card = event.detail.target.querySelector("[data-default-urgency]");
    if (!card) { return; }
    var radio = form.querySelector("input[name=urgency][value='" + card.dataset.defaultUrgency + "']");
    if (radio) { radio.checked = true; }
  });
})();
