// A "copy" button beside a link: shown only where the browser can copy (the link itself always works).
document.querySelectorAll("button.copy[data-copy]").forEach((button) => {
  if (!navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    navigator.clipboard.writeText(button.dataset.copy).then(() => {
      button.textContent = button.dataset.copied;
    });
  });
});
