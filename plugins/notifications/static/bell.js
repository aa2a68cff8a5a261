// The bell's unread count: asked for as the page loads, then every minute while it stays
// open. Without this script the bell is a plain link to the notification centre.
(function () {
  "use strict";
  var bell = document.getElementById("notification-bell");
  if (!bell || !window.fetch) { return; }
  var count = document.getElementById("notification-count");
  var value = document.getElementById("notification-count-value");
  var most = parseInt(bell.getAttribute("data-most"), 10) || 99;
  function show(unread) {
    value.textContent = unread > most ? most + "+" : String(unread);
    count.hidden = unread < 1;
  }
  function refresh() {
    if (document.hidden) { return; }
    fetch(bell.getAttribute("data-count-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && typeof data.unread === "number") { show(data.unread); } })
      .catch(function () {});
  }
  refresh();
  window.setInterval(refresh, 60000);
  document.addEventListener("visibilitychange", refresh);
}());
