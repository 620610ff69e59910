// The print page's "Afdrukken" button (no inline scripts: the Content-Security-Policy forbids them).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
