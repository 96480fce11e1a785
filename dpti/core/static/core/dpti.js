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
  function init() {
    document.querySelectorAll("#bulk-form").forEach(refreshBulkButtons);
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
