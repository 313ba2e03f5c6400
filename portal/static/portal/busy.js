// A form marked .busy-on-submit says it is working once sent (publishing can take several seconds): its
// button is disabled against a second click and shows its data-busy text. Without JavaScript the form
// works the same, only without the notice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.classList || !form.classList.contains("busy-on-submit")) return;
  var button = event.submitter || form.querySelector("button[type=submit]");
  form.setAttribute("aria-busy", "true");
  if (button) {
    if (button.dataset.busy) button.textContent = button.dataset.busy;
    // Disabled after this event, so the button's own name and value still go with the form.
    setTimeout(function () { button.disabled = true; }, 0);
  }
});
