/* The poster page's print button (the CSP forbids inline handlers). */
(function () {
  "use strict";
  document.addEventListener("click", function (evt) {
    if (evt.target.closest("[data-print]")) window.print();
  });
})();
