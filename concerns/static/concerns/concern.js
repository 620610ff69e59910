// The zorgroute form: pick a pupil from the type-ahead, and take the chosen category's
// default urgency unless the user already chose one. Works with students:autocomplete.
(function () {
  "use strict";
  var form = document.getElementById("concern-form");
  if (!form) { return; }
  var hidden = form.querySelector("input[name=student]");
  var picker = document.getElementById("student-picker");
  var picked = document.getElementById("picked-student");
  var search = document.getElementById("student-search");
  var results = document.getElementById("student-results");
  var urgencyTouched = form.dataset.bound === "true";  // after an error the choice stays

  results.addEventListener("click", function (event) {
    var option = event.target.closest("[data-student-id]");
    if (!option) { return; }
    hidden.value = option.dataset.studentId;
    picked.querySelector("[data-picked-label]").textContent = option.dataset.studentLabel;
    picked.classList.remove("d-none");
    picker.classList.add("d-none");
    results.innerHTML = "";
    search.value = "";
    var firstCategory = form.querySelector("input[name=category]");
    if (firstCategory) { firstCategory.focus(); }
  });

  picked.querySelector("[data-pick-again]").addEventListener("click", function () {
    hidden.value = "";
    picked.classList.add("d-none");
    picker.classList.remove("d-none");
    search.focus();
  });

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
