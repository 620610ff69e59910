// The referrals app's small behaviours: the pupil picker and the board's refresh guard.
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
  // Pupil picker: a search result (students:autocomplete) fills the hidden `student` field.
  document.addEventListener("click", function (event) {
    var picker = event.target.closest("[data-student-picker]");
    if (!picker) { return; }
    var option = event.target.closest("[data-student-id]");
    if (option) {
      picker.querySelector("[data-picked-input]").value = option.dataset.studentId;
      picker.querySelector("[data-picked-label]").textContent = option.dataset.studentLabel;
      picker.querySelector("[data-picked]").classList.remove("d-none");
      picker.querySelector("input[type=search]").classList.add("d-none");
      picker.querySelector(".picker-results").innerHTML = "";
    } else if (event.target.closest("[data-picked-clear]")) {
      picker.querySelector("[data-picked-input]").value = "";
      picker.querySelector("[data-picked]").classList.add("d-none");
      var search = picker.querySelector("input[type=search]");
      search.classList.remove("d-none");
      search.value = "";
      search.focus();
    }
  });
})();
