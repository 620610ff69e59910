// The one picker for a pupil or a person: the WAI-ARIA 1.2 combobox pattern with a list box
// (templates/partials/_pupil_combobox.html, docs/accessibility.md). The input has
// role=combobox, aria-expanded and aria-activedescendant; ArrowDown/ArrowUp move through the
// options, Enter picks (and never submits the form), Escape closes (a second Escape clears),
// Home/End stay in the text. The options come from the server as <li role=option> items.
(function () {
  "use strict";
  var MIN_CHARS = 2;

  function setup(box) {
    if (box.dataset.comboboxReady) { return; }
    box.dataset.comboboxReady = "1";
    var input = box.querySelector("[role=combobox]");
    var listbox = box.querySelector("[role=listbox]");
    var status = box.querySelector("[data-combobox-status]");
    var hidden = box.querySelector("[data-combobox-value]");
    var picked = box.querySelector("[data-combobox-picked]");
    var field = box.querySelector("[data-combobox-field]");
    var timer = null, active = -1, request = 0;

    function options() { return Array.prototype.slice.call(listbox.querySelectorAll("[role=option]")); }

    function open() {
      if (!options().length) { return; }
      listbox.classList.remove("d-none");
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      listbox.classList.add("d-none");
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
      options().forEach(function (o) { o.setAttribute("aria-selected", "false"); o.classList.remove("active"); });
    }

    function highlight(index) {
      var all = options();
      if (!all.length) { return; }
      open();
      active = (index + all.length) % all.length;
      all.forEach(function (o, i) {
        o.setAttribute("aria-selected", i === active ? "true" : "false");
        o.classList.toggle("active", i === active);
      });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function pick(option) {
      hidden.value = option.dataset.value;
      picked.querySelector("[data-combobox-picked-label]").textContent = option.dataset.label;
      picked.classList.remove("d-none");
      field.classList.add("d-none");
      close();
      listbox.innerHTML = "";
      input.value = "";
      status.textContent = "";
      box.dispatchEvent(new CustomEvent("combobox:picked", { bubbles: true, detail: { value: hidden.value } }));
      var button = picked.querySelector("[data-combobox-clear]");
      if (button) { button.focus(); }
    }

    function search() {
      var query = input.value.trim();
      if (query.length < MIN_CHARS) { listbox.innerHTML = ""; close(); status.textContent = ""; return; }
      var mine = ++request;
      var url = box.dataset.comboboxUrl + (box.dataset.comboboxUrl.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          if (mine !== request) { return; }  // an older answer after a newer one
          listbox.innerHTML = html;
          var all = options();
          all.forEach(function (o, i) { o.id = input.id + "-option-" + i; });
          close();
          if (all.length) {
            open();
            status.textContent = all.length === 1 ? box.dataset.oneFound || "1" : all.length + " " + (box.dataset.manyFound || "");
          } else {
            status.textContent = box.dataset.noneFound || "";
          }
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var expanded = input.getAttribute("aria-expanded") === "true";
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (event.altKey) { open(); } else { highlight(expanded ? active + 1 : 0); }
          break;
        case "ArrowUp":
          event.preventDefault();
          highlight(expanded ? active - 1 : -1);
          break;
        case "Enter":
          // Enter in the search field never sends the form (issue 17).
          event.preventDefault();
          if (expanded && active >= 0) { pick(options()[active]); }
          else if (options().length === 1) { pick(options()[0]); }
          break;
        case "Escape":
          if (expanded) { event.preventDefault(); close(); }
          else if (input.value) { event.preventDefault(); input.value = ""; listbox.innerHTML = ""; }
          break;
        case "Tab":
          close();
          break;
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep focus in the input
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) { pick(option); }
    });
    picked.addEventListener("click", function (event) {
      if (!event.target.closest("[data-combobox-clear]")) { return; }
      hidden.value = "";
      picked.classList.add("d-none");
      field.classList.remove("d-none");
      status.textContent = "";
      input.focus();
    });
  }

  function setupAll(root) { root.querySelectorAll("[data-combobox]").forEach(setup); }
  setupAll(document);
  document.addEventListener("htmx:load", function (event) { setupAll(event.detail.elt.parentNode || document); });
})();
