// The referrals app's small behaviours: the board's refresh guard.
(function () {
  "use strict";
  // The board refreshes itself (htmx polling on #board), but not while the coach is typing
  // a note: that refresh is skipped. (Not an hx-trigger filter: htmx would need eval for it,
  // which the Content-Security-Policy forbids.)
  document.addEventListener("htmx:beforeRequest", function (event) {
    var board = event.detail.elt;
    if (board.id !== "board") { return; }
    if (board.querySelector("input:focus, textarea:focus, select:focus")) { event.preventDefault(); }
  });
  // The pupil picker is the shared combobox (static/js/combobox.js).
})();
