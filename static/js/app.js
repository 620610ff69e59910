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
  //   data-confirm-none="name" data-confirm-none-text="Vraag?"   on a form: ask before
  //                           sending it with none of the checkboxes `name` ticked
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
    var none = form.dataset.confirmNone;
    if (none && !form.querySelector('input[name="' + none + '"]:checked') && !window.confirm(form.dataset.confirmNoneText)) {
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
  // Error summary (partials/_error_summary.html, GOV.UK / NL Design System): after a failed
  // submit the focus moves to it and the page title starts with "Fout:"; a link in it moves
  // the focus to its field (and shows the field's label or legend).
  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (!summary) { return; }
    var prefix = document.body.dataset.errorTitle || "Error:";
    if (document.title.indexOf(prefix) !== 0) { document.title = prefix + " " + document.title; }
    summary.focus();
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) { focusErrorSummary(event.detail.target); });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    event.preventDefault();
    var group = field.closest("fieldset");
    var label = (group && group.querySelector("legend")) || document.querySelector("label[for='" + field.id + "']") || field;
    label.scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
  // Never lose typed text (issue 17):
  //   data-warn-unsaved   on a form: warn before leaving or reloading the page while it has
  //                       changes that were not sent (the browser's own question).
  //   data-draft="key"    on a textarea: what is typed is kept in the browser's local storage
  //                       until the form is sent, and offered back after a reload or a crash.
  var dirty = new Set();
  document.addEventListener("input", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-warn-unsaved")) { dirty.add(form); }
    var key = event.target.dataset && event.target.dataset.draft;
    if (key) {
      try { window.localStorage.setItem("draft:" + key, event.target.value); } catch (e) { /* full or private */ }
    }
  });
  document.addEventListener("submit", function (event) {
    dirty.delete(event.target);
    event.target.querySelectorAll("[data-draft]").forEach(function (field) {
      try { window.localStorage.removeItem("draft:" + field.dataset.draft); } catch (e) { /* ignore */ }
    });
  }, true);
  window.addEventListener("beforeunload", function (event) {
    var unsaved = Array.prototype.some.call(document.forms, function (form) { return dirty.has(form) && form.isConnected; });
    if (unsaved) { event.preventDefault(); event.returnValue = ""; }
  });
  function restoreDrafts(root) {
    root.querySelectorAll("textarea[data-draft]").forEach(function (field) {
      var saved = null;
      try { saved = window.localStorage.getItem("draft:" + field.dataset.draft); } catch (e) { return; }
      if (saved !== null && saved !== field.value && saved.trim() !== "") {
        field.value = saved;
        if (field.form && field.form.hasAttribute("data-warn-unsaved")) { dirty.add(field.form); }
        var note = document.createElement("div");
        note.className = "form-text text-warning-emphasis";
        note.setAttribute("role", "status");
        note.textContent = document.body.dataset.draftRestored || "";
        field.insertAdjacentElement("afterend", note);
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { restoreDrafts(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    restoreDrafts(event.detail.target);
    // A form replaced by the server's answer was saved: its changes are no longer pending.
    dirty.forEach(function (form) { if (!form.isConnected) { dirty.delete(form); } });
  });
  // A table that scrolls sideways (or a list that scrolls down) must be reachable by keyboard
  // (WCAG 2.1.1): it becomes a focusable region named after its caption or nearest heading.
  function scrollRegions(root) {
    root.querySelectorAll(".table-responsive, .max-h-24").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (!scrolls || box.hasAttribute("tabindex")) { return; }
      box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("role")) {
        var caption = box.querySelector("caption");
        var heading = caption ? null : box.closest("section, .card, main").querySelector("h1, h2, h3");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", ((caption || heading || {}).textContent || document.title).trim());
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { scrollRegions(document); });
  window.addEventListener("resize", function () { scrollRegions(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) { scrollRegions(event.detail.target); });
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
