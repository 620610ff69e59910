// The point card's scoring screen (no inline scripts: CSP). When every expectation of the
// lesson has a score, the form is sent: a teacher scores a lesson in one tap per expectation.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-score-form]");
    if (!form || event.target.type !== "radio") { return; }
    var names = {};
    form.querySelectorAll("input[type=radio]").forEach(function (input) { names[input.name] = true; });
    var complete = Object.keys(names).every(function (name) {
      return form.querySelector("input[name='" + name + "']:checked");
    });
    if (complete) {
      var save = form.querySelector("button[name=status][value=scored]");
      if (form.requestSubmit) { form.requestSubmit(save); } else { save.click(); }
    }
  });
})();
