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
  // Amounts (XPF, whole francs) are text boxes: group the thousands as the person types
  // (6000000 → 6 000 000). The server accepts any spacing; this is only for reading.
  var NARROW_NBSP = "\u202f";
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-amount]")) return;
    var value = input.value;
    // "XPF", a dot or a comma: leave the text alone, the server reads or refuses it.
    if (/[^\d\s\u00a0\u202f\u2212-]/.test(value)) return;
    var caret = input.selectionStart === null ? value.length : input.selectionStart;
    var digitsBefore = value.slice(0, caret).replace(/\D/g, "").length;
    // The minus sign stays as typed, even where the field cannot be negative: dropping it would
    // silently save -5 as 5; the server refuses it with its French message instead.
    var negative = /^\s*[-\u2212]/.test(value);
    var digits = value.replace(/\D/g, "");
    var result = (negative ? "-" : "") + digits.replace(/\B(?=(\d{3})+(?!\d))/g, NARROW_NBSP);
    if (result === value) return;
    input.value = result;
    var position = negative ? 1 : 0;
    for (var seen = 0; position < result.length && seen < digitsBefore; position++) {
      if (/\d/.test(result[position])) seen++;
    }
    input.setSelectionRange(position, position);
  });

  // Dates are text boxes typed dd/mm/yyyy whatever the browser's language (a native date
  // input would show mm/dd/yyyy in an English browser); the calendar (vanilla-calendar-pro,
  // vendored) speaks the page's language and writes the same dd/mm/yyyy.
  var DAY_FIRST = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4}|\d{2})(.*)$/;
  var ISO = /^\s*(\d{4})-(\d{2})-(\d{2})/;
  function pad(number) {
    return String(number).padStart(2, "0");
  }
  function isoOf(text) {
    var match = DAY_FIRST.exec(text || "");
    if (match) {
      var year = match[3].length === 2 ? 2000 + Number(match[3]) : Number(match[3]);
      var iso = year + "-" + pad(match[2]) + "-" + pad(match[1]);
      return isNaN(Date.parse(iso + "T00:00:00")) ? null : iso;
    }
    match = ISO.exec(text || "");
    return match ? match[1] + "-" + match[2] + "-" + match[3] : null;
  }
  var calendarLabels = null;
  function labels() {
    if (calendarLabels === null) {
      var script = document.getElementById("dpti-calendar-labels");
      calendarLabels = script ? JSON.parse(script.textContent) : {};
    }
    return calendarLabels;
  }
  function showDate(calendar, input) {
    // The calendar opens on the typed date (or today), selected.
    var iso = isoOf(input.value);
    var options = { selectedDates: iso ? [iso] : [] };
    if (iso) {
      options.selectedYear = Number(iso.slice(0, 4));
      options.selectedMonth = Number(iso.slice(5, 7)) - 1;
    }
    if (calendar.context.inputModeInit) calendar.set(options);
    else Object.assign(calendar, options);
  }
  function initDatePicker(input) {
    if (input.dataset.datepickerReady || !window.VanillaCalendarPro) return;
    input.dataset.datepickerReady = "1";
    var language = document.documentElement.lang || "fr";
    var calendar = new window.VanillaCalendarPro.Calendar(input, {
      inputMode: true,
      // Opens on a click or Alt+↓, not on focus: a person who types the date and tabs on
      // is not taken into the calendar.
      openOnFocus: false,
      positionToInput: "auto",
      firstWeekday: 1,
      locale: language.indexOf("en") === 0 ? "en-GB" : "fr-FR",
      labels: labels(),
      dateMin: "1900-01-01",
      dateMax: "2199-12-31",
      onClickDate: function (self) {
        var iso = self.context.selectedDates[0];
        if (!iso) return;
        var parts = iso.split("-");
        var rest = (DAY_FIRST.exec(input.value) || [])[4] || "";
        input.value = parts[2] + "/" + parts[1] + "/" + parts[0] + rest;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        self.hide();
      },
    });
    calendar.init();
    input.addEventListener("mousedown", function () {
      showDate(calendar, input);
    });
    input.addEventListener("keydown", function (event) {
      if (event.altKey && event.key === "ArrowDown") {
        event.preventDefault();
        showDate(calendar, input);
        calendar.show();
      }
    });
  }
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
    document.querySelectorAll("input[data-datepicker]").forEach(initDatePicker);
    refreshScrollRegions();
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
