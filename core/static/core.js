// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before submitting forms marked as destructive.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
});
