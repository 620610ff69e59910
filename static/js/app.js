// Small behaviours shared by every page. No framework: Bootstrap and htmx do the rest.
(function () {
  "use strict";
  // Disable a form's submit buttons once it is sent, so a double click sends one request.
  // (The server also refuses duplicates; this only spares the user a confusing second page.)
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-allow-resubmit")) { return; }
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
  // A page restored from the back/forward cache gets its buttons back.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("button[type=submit][disabled], input[type=submit][disabled]").forEach(function (button) {
      if (!button.hasAttribute("data-keep-disabled")) { button.disabled = false; }
    });
  });
  // htmx: a refused partial request gets a visible message (text translated in base.html).
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 401 || status === 403 || status === 404) {
      var box = document.getElementById("messages");
      if (box) {
        var alert = document.createElement("div");
        alert.className = "alert alert-danger";
        alert.setAttribute("role", "alert");
        alert.textContent = document.body.dataset.htmxError || "Error";
        box.appendChild(alert);
      }
    }
  });
})();
