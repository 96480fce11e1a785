// DPTI page behaviours: "select all" checkboxes and bulk buttons that need a selection.
(function () {
  "use strict";
  function refreshBulkButtons(form) {
    var any = form.querySelector('input[name="pk"]:checked') !== null;
    form.querySelectorAll("[data-needs-selection]").forEach(function (button) {
      button.disabled = !any;
    });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    var form = target.closest("form");
    if (!form) return;
    if (target.matches("[data-select-all]")) {
      form.querySelectorAll('input[name="pk"]').forEach(function (box) {
        box.checked = target.checked;
      });
    }
    refreshBulkButtons(form);
  });
  // Filters and sorting update the address bar through htmx without reloading the page:
  // exports take the filters from the current address at the moment of the click.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-export]");
    if (!link) return;
    var url = new URL(window.location.href);
    url.searchParams.delete("page");
    url.searchParams.set("export", link.dataset.export);
    link.href = url.pathname + url.search;
  });
  // Actions on the filtered list (print labels…) take the current filters the same way.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-list-action]");
    if (!link) return;
    var url = new URL(window.location.href);
    url.searchParams.delete("page");
    link.href = link.dataset.listAction + url.search;
  });
  // A link to #tab-history (or any tab pane) opens that tab.
  function showTabFromHash() {
    var bs = window.bootstrap || (window.tabler && window.tabler.bootstrap);
    if (!window.location.hash || !bs) return;
    var trigger = document.querySelector('[data-bs-toggle="tab"][href="' + window.location.hash + '"]');
    if (trigger) bs.Tab.getOrCreateInstance(trigger).show();
  }
  window.addEventListener("load", showTabFromHash);
  window.addEventListener("hashchange", showTabFromHash);
  // A table wider than the screen scrolls sideways inside its .table-responsive box. With no
  // link or field inside, a keyboard could not reach that scroll (WCAG 2.1.1): the box then
  // becomes a focusable region, named after its table's caption, its card's title or the page
  // title. Boxes that fit, or hold focusable content, are left out of the tab order.
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  function regionName(box) {
    var source = box.querySelector("caption") ||
      (box.closest(".card") && box.closest(".card").querySelector(".card-title")) ||
      document.querySelector("h1");
    return source ? source.textContent.trim().replace(/\s+/g, " ") : "";
  }
  function refreshScrollRegions() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var reachable = box.scrollWidth <= box.clientWidth + 1 ||
        box.querySelector(FOCUSABLE) !== null;
      if (reachable) {
        if (box.hasAttribute("data-scroll-region")) {
          ["data-scroll-region", "tabindex", "role", "aria-label"].forEach(function (name) {
            box.removeAttribute(name);
          });
        }
        return;
      }
      if (box.hasAttribute("data-scroll-region")) return;
      box.setAttribute("data-scroll-region", "");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", regionName(box));
    });
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(refreshScrollRegions, 150);
  });
  function init() {
    document.querySelectorAll("#bulk-form").forEach(refreshBulkButtons);
    refreshScrollRegions();
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
