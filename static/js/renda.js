/* Renda: small enhancements on top of htmx. Every page works without this file. */
(function () {
  "use strict";

  // htmx leaves the page untouched when a request fails; say so instead of doing nothing.
  function showError(key) {
    var box = document.getElementById("ajax-error");
    if (!box) return;
    box.textContent = box.getAttribute(key) || "";
    box.hidden = false;
  }
  document.addEventListener("htmx:responseError", function () { showError("data-message"); });
  document.addEventListener("htmx:sendError", function () { showError("data-offline"); });
  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("ajax-error");
    if (box) box.hidden = true;
  });

  // The phone menu closes with Escape and when the user taps outside it.
  document.addEventListener("keydown", function (evt) {
    if (evt.key !== "Escape") return;
    var menu = document.querySelector("details.navmenu[open]");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
  document.addEventListener("click", function (evt) {
    var menu = document.querySelector("details.navmenu[open]");
    if (menu && !menu.contains(evt.target)) menu.open = false;
  });
})();
