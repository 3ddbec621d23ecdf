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
  // A refused form (400 invalid, 409 conflict, 422) comes back as its partial with the reason next to
  // the field: swap it in like a success. Full pages (404 for "denied", 500) still get the toast.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr, status = xhr.status;
    if ((status === 400 || status === 409 || status === 422) && !/<html[\s>]/i.test(xhr.responseText || "")) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
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

  // A multiple picker keeps each ticked result: it moves to the chosen list before the next search.
  document.addEventListener("change", function (evt) {
    var box = evt.target, picker = box.closest && box.closest(".picker__results");
    if (box.type === "checkbox" && box.checked && picker) {
      picker.parentNode.querySelector(".picker__current").appendChild(box.closest("label"));
    }
  });

  // A picker's search box belongs to no form: its typing must not refresh a filter form around it.
  function quietPickers(root) {
    var boxes = root.querySelectorAll ? root.querySelectorAll(".picker__search") : [];
    Array.prototype.forEach.call(boxes, function (box) {
      ["input", "change", "keyup"].forEach(function (name) {
        box.addEventListener(name, function (evt) { evt.stopPropagation(); });
      });
    });
  }
  if (window.htmx) window.htmx.onLoad(quietPickers); else quietPickers(document);

  // A button that deletes, removes or withdraws something asks first; data-confirm holds the question.
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.getAttribute("data-confirm"))) evt.preventDefault();
  });

  // Long lists of checkboxes (duty deputies of a reception day): filter by name, tick all shown, none.
  function checklistItems(selector) {
    var list = document.querySelector(selector);
    return list ? Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]")) : [];
  }
  function row(input) { return input.closest("div") || input.parentNode; }
  document.querySelectorAll("[data-checklist-tools]").forEach(function (tools) { tools.hidden = false; });
  document.addEventListener("input", function (evt) {
    var target = evt.target.getAttribute && evt.target.getAttribute("data-checklist-filter");
    if (!target) return;
    var needle = evt.target.value.replace(/\s+/g, "");
    checklistItems(target).forEach(function (input) {
      var text = (row(input).textContent || "").replace(/\s+/g, "");
      row(input).hidden = needle !== "" && text.indexOf(needle) === -1;
    });
  });
  document.addEventListener("click", function (evt) {
    var all = evt.target.getAttribute && evt.target.getAttribute("data-checklist-all");
    var none = evt.target.getAttribute && evt.target.getAttribute("data-checklist-none");
    if (all) checklistItems(all).forEach(function (input) { if (!row(input).hidden) input.checked = true; });
    if (none) checklistItems(none).forEach(function (input) { input.checked = false; });
  });
})();

/* Phones: cells labelled by column heading (rows show as cards, renda.css). */
(function () {
  function label() {
    document.querySelectorAll("table.table").forEach(function (t) {
      var h = t.tHead ? t.tHead.rows[0].cells : [];
      t.querySelectorAll("tbody tr").forEach(function (r) {
        for (var i = 0; i < r.cells.length && i < h.length; i++) {
          var x = h[i].textContent.trim();
          if (x && !r.cells[i].dataset.label) r.cells[i].dataset.label = x;
        }
      });
    });
  }
  label();
  document.addEventListener("htmx:afterSettle", label);
})();
