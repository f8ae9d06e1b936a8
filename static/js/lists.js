// Filter forms send only the fields in use, so that a filtered page's URL stays short to share.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-drop-empty]")) return;
  for (const field of form.elements) {
    if (field.name && field.value === "") field.disabled = true;
  }
});
// Back from a filtered page: fields disabled on submit must work again.
window.addEventListener("pageshow", () => {
  for (const field of document.querySelectorAll("form[data-drop-empty] [disabled]")) {
    field.disabled = false;
  }
});
