// Buttons with data-confirm ask before they submit (a refusal, a signature): the step-kind table
// says which outcomes need a confirmation. Without JavaScript the form submits as before.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
