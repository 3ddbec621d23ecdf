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

/* Issue 11 §4: typed text survives every preference switch; counters on long text; outcomes in view. */
(function () {
  var KEY = "renda:typed", html = document.documentElement;
  function each(list, fn) { Array.prototype.forEach.call(list, fn); }
  function box(el) { return el.type === "checkbox" || el.type === "radio"; }

  // 大字 / 高对比 switch in place: the class flips now, the cookie is saved in the background.
  document.addEventListener("submit", function (evt) {
    var form = evt.target, button = evt.submitter;
    if (!form.classList.contains("prefs") || !button) return;
    if (button.name === "language") { save(); return; }  // a new language needs the page again
    evt.preventDefault();
    var data = new FormData(form), on = button.value === "1", title = button.title;
    data.append(button.name, button.value);
    html.classList.toggle(button.getAttribute("data-class"), on);
    button.setAttribute("aria-pressed", String(on));
    button.value = on ? "0" : "1";
    button.title = button.getAttribute("data-title-alt");
    button.setAttribute("data-title-alt", title);
    fetch(form.action, { method: "POST", body: data, headers: { "HX-Request": "true" }, credentials: "same-origin" })
      .catch(function () { document.dispatchEvent(new Event("htmx:sendError")); });
  });

  // Everything this page's forms hold (not secrets, files or hidden fields), kept for one reload: all
  // values, not only the changed ones, because a form re-rendered after a refused submit (an over-long
  // text) holds what was typed as its default, and the reload after a switch is a fresh GET. A search
  // picker's picks (renda/core/pickers.py) are kept with their names: a pick that came from a search
  // is not in the reloaded page and is put back as a chip.
  function fields() {
    var out = [];
    each(document.querySelectorAll("main form"), function (form, f) {
      var seen = {};
      each(form.elements, function (el) {
        if (!el.name || el.disabled || /^(password|file|hidden|submit|button|reset|image)$/.test(el.type)) return;
        if (el.closest(".picker")) return;
        var n = seen[el.name] = (seen[el.name] || 0) + 1;
        out.push({ el: el, key: f + "|" + el.name + "|" + n });
      });
    });
    return out;
  }
  function pickers() { return Array.prototype.slice.call(document.querySelectorAll("main .picker[id]")); }
  function picks(picker) {
    return Array.prototype.filter.call(picker.querySelectorAll(".picker__option input"), function (el) {
      return el.checked;
    }).map(function (el) {
      return { type: el.type, name: el.name, value: el.value, label: el.closest("label").textContent.trim() };
    });
  }
  function save() {
    var typed = {}, picked = {};
    fields().forEach(function (x) {
      var el = x.el;
      if (box(el)) typed[x.key] = el.checked;
      else if (el.tagName === "SELECT") typed[x.key] = Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; });
      else typed[x.key] = el.value;
    });
    pickers().forEach(function (p) { picked[p.id] = picks(p); });
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ path: location.pathname, typed: typed, picked: picked }));
    } catch (e) { /* private mode */ }
  }
  function chip(pick) {
    var label = document.createElement("label"), input = document.createElement("input");
    label.className = "picker__option";
    input.type = pick.type;
    input.name = pick.name;
    input.value = pick.value;
    label.appendChild(input);
    label.appendChild(document.createTextNode(" " + pick.label));
    return label;
  }
  function repick(picker, saved) {
    var current = picker.querySelector(".picker__current"), none = current.querySelector(".picker__option--none");
    var inputs = Array.prototype.slice.call(picker.querySelectorAll(".picker__option input"));
    saved.forEach(function (pick) {
      var there = inputs.some(function (el) { return el.type === pick.type && el.value === pick.value; });
      if (!there) {
        var label = chip(pick);
        current.insertBefore(label, none);
        inputs.push(label.querySelector("input"));
      }
    });
    inputs.forEach(function (el) {
      el.checked = saved.some(function (pick) { return pick.type === el.type && pick.value === el.value; });
    });
  }
  function restore() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(KEY) || "null"); sessionStorage.removeItem(KEY); } catch (e) { return; }
    // Codes in paths come back upper-cased (/o/ex9w…/ → /o/EX9W…/): the same page either way.
    if (!saved || saved.path.toLowerCase() !== location.pathname.toLowerCase()) return;
    fields().forEach(function (x) {
      var el = x.el, v = saved.typed[x.key];
      if (v === undefined) return;
      var before = box(el) ? el.checked : el.tagName === "SELECT" ? String(Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; })) : el.value;
      if (box(el)) el.checked = v;
      else if (el.tagName === "SELECT") each(el.options, function (o) { o.selected = v.indexOf(o.value) !== -1; });
      else el.value = v;
      // Only what differs from the page as served is announced (counters, searches listening to input).
      if (String(v) !== String(before)) el.dispatchEvent(new Event("input", { bubbles: true }));
    });
    pickers().forEach(function (p) { if (saved.picked && saved.picked[p.id]) repick(p, saved.picked[p.id]); });
  }

  // "已输入 12/2000 字" under every long text field (data-counter, set by the shared form base). The
  // browser's maxlength would cut a paste silently; the counter says how much is over instead.
  function counters(root) {
    each(root.querySelectorAll("textarea[data-counter]"), function (t) {
      if (t.counter) return;
      var p = document.createElement("p");
      p.className = "field__counter";
      p.id = (t.id || t.name) + "_counter";
      t.max = t.maxLength > 0 ? t.maxLength : +t.getAttribute("data-max");
      t.setAttribute("data-max", t.max);
      t.removeAttribute("maxlength");
      t.setAttribute("aria-describedby", ((t.getAttribute("aria-describedby") || "") + " " + p.id).trim());
      t.counter = p;
      t.parentNode.insertBefore(p, t.nextSibling);
      count(t);
    });
  }
  function count(t) {
    var n = Array.from(t.value).length, over = n - t.max;
    t.counter.textContent = t.getAttribute(over > 0 ? "data-counter-over" : "data-counter")
      .replace("{n}", n).replace("{max}", t.max).replace("{over}", over);
    t.counter.classList.toggle("field__counter--over", over > 0);
  }
  document.addEventListener("input", function (evt) { if (evt.target.counter) count(evt.target); });
  document.addEventListener("htmx:afterSettle", function (evt) { counters(evt.target); });

  // After a submit the outcome is what the user needs to see: the first error summary, else the messages.
  function outcome() {
    var target = document.querySelector("[data-error-summary]") || document.querySelector("main .messages");
    if (!target) return;
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
  }
  counters(document);
  restore();
  // After load, and after the browser's own scroll to #contact or back to where a form was sent from.
  function later() { setTimeout(outcome, 0); }
  if (document.readyState === "complete") later(); else window.addEventListener("load", later);
})();
