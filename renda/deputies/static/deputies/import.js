/* Roster import: when the job's progress bar (jobs/_progress.html) reports done, load the preview once. */
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function () {
    var box = document.getElementById("import-status");
    if (!box || box.getAttribute("data-waiting") !== "1" || !window.htmx) return;
    var bar = box.querySelector(".job");
    if (bar && !bar.hasAttribute("hx-get")) {
      box.removeAttribute("data-waiting");
      window.htmx.trigger(box, "job-done");
    }
  });
})();
