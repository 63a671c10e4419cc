// Print buttons: <button type="button" data-print>. A file, not an inline handler, so the
// Content-Security-Policy can forbid inline scripts (issue 13 part 7).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("[data-print]") : null;
  if (button) {
    event.preventDefault();
    window.print();
  }
});
