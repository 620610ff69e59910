// Small behaviours shared by every page. No framework: Bootstrap and htmx do the rest.
(function () {
  "use strict";
  // htmx would add a <style> element for its loading indicator; the Content-Security-Policy
  // allows no inline styles, so that CSS is in static/css/app.css (.htmx-indicator) instead.
  // Set before DOMContentLoaded, when htmx inserts it.
  if (window.htmx) { window.htmx.config.includeIndicatorStyles = false; }
  // No inline scripts or on*= handlers anywhere (Content-Security-Policy without
  // 'unsafe-inline'): small behaviours are data attributes, handled here.
  //   data-confirm="Vraag?"   on a form: ask before sending
  //   data-autosubmit         on a select: send its form when it changes
  //   data-print              on a button: print the page
  //   data-select-on-click    on an input: select its text when clicked (a link to copy)
  // Disable a form's submit buttons once it is sent, so a double click sends one request.
  // (The server also refuses duplicates; this only spares the user a confusing second page.)
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-allow-resubmit")) { return; }
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches("[data-autosubmit]") && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
    if (event.target.matches("[data-select-on-click]")) { event.target.select(); }
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
