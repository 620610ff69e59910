// The referrals app's small behaviours: the board's refresh guard and its late count.
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
  // A check-in answers with only what it changed (referrals/_board_tap.html, out-of-band
  // swaps): the checked-in pupil's row leaves "Verwacht vandaag", and if it was red the
  // "Niet aangekomen" count is one less. That count is the number of red rows (the server
  // prints it so), counted again here; the board's own refresh brings the server's again.
  function countLate() {
    var board = document.getElementById("board");
    var count = document.getElementById("late-count");
    if (!board || !count) { return; }
    var late = String(board.querySelectorAll(".board-card.late").length);
    if (count.textContent !== late) { count.textContent = late; }
  }
  document.addEventListener("htmx:oobAfterSwap", countLate);
  // The pupil picker is the shared combobox (static/js/combobox.js).
})();
