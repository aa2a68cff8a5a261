// Small enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Ask before submitting forms marked as destructive.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // ...and before a destructive button (of a form with several) does its work.
  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }
});

// Wide screens lay the menu's content out in the header; a browser that cannot do that in
// CSS (no ::details-content) gets the <details> opened instead.
(() => {
  const menu = document.querySelector(".site-menu");
  if (!menu || CSS.supports("selector(::details-content)")) return;
  const wide = window.matchMedia("(min-width: 64rem)");
  const apply = () => { if (wide.matches) menu.open = true; };
  apply();
  wide.addEventListener("change", apply);
})();

// Share menus: the device's share sheet and "Copy the link", where the browser offers them.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-share-url]")) {
    if (!navigator.share) continue;
    button.closest("li").hidden = false;
    button.addEventListener("click", () => {
      navigator.share({ title: button.dataset.shareTitle, url: button.dataset.shareUrl }).catch(() => {});
    });
  }
  for (const button of document.querySelectorAll("[data-copy]")) {
    if (!navigator.clipboard) continue;
    button.closest("li").hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(button.dataset.copy).then(() => {
        button.lastChild.textContent = button.dataset.copied;
      }).catch(() => {});
    });
  }
});
