// The texts this script writes, in the page's language: base.html gives them as data-messages on this
// script's tag ({n}, {what} are filled in here); English when they are missing.
var MESSAGES = (function (script) {
  try {
    return JSON.parse((script && script.getAttribute("data-messages")) || "{}");
  } catch (error) {
    return {};
  }
}(document.currentScript));

function message(key, fallback, values) {
  var text = MESSAGES[key] || fallback;
  Object.keys(values).forEach(function (name) { text = text.split("{" + name + "}").join(values[name]); });
  return text;
}

function formatCount(number) {
  return Number(number).toLocaleString(document.documentElement.lang || "en");
}

/* The CRM's few behaviours, from this file only: the Content-Security-Policy forbids inline scripts. */
"use strict";

// <form data-confirm="Delete this incident?">: ask before submitting.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// <button data-print>: open the browser's print dialog.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});

// A form sent back with errors: bring the first field that needs attention into view and focus it, so the
// user lands where the message is, even far down a long page.
document.addEventListener("DOMContentLoaded", function () {
  var field = document.querySelector("main [aria-invalid='true']");
  if (field && typeof field.focus === "function") {
    field.focus();
  }
});

// Lists with checkboxes named N: <button data-check-all="N">, <button data-check-none="N"> and a live
// <span data-chosen-count="N">. The buttons are hidden until this script runs ([data-select-tools]).
(function () {
  function boxes(name) {
    return Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][name='" + name + "']"));
  }
  function count(name) {
    var chosen = boxes(name).filter(function (box) { return box.checked; }).length;
    document.querySelectorAll("[data-chosen-count='" + name + "']").forEach(function (span) {
      span.textContent = message("chosen", "{n} chosen", { n: formatCount(chosen) });
    });
  }
  document.addEventListener("click", function (event) {
    var all = event.target.closest && event.target.closest("[data-check-all],[data-check-none]");
    if (!all) {
      return;
    }
    var name = all.getAttribute("data-check-all") || all.getAttribute("data-check-none");
    var value = all.hasAttribute("data-check-all");
    boxes(name).forEach(function (box) { box.checked = value; });
    count(name);
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("input[type=checkbox][name]")) {
      count(event.target.name);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-select-tools]").forEach(function (tools) { tools.hidden = false; });
    document.querySelectorAll("[data-chosen-count]").forEach(function (span) {
      count(span.getAttribute("data-chosen-count"));
    });
  });
}());

// <input type=checkbox data-all-matching="N" data-total="1234">: "select all 1,234 matching" ticks the page's
// boxes named N and says so in <span data-chosen-count="N">; unticking a row or "Select none" clears it (the
// server, not this script, finds the matching rows again).
(function () {
  function flags(name) {
    return Array.prototype.slice.call(document.querySelectorAll("input[data-all-matching='" + name + "']"));
  }
  function show(name) {
    var flag = flags(name).filter(function (box) { return box.checked; })[0];
    var boxes = document.querySelectorAll("input[type=checkbox][name='" + name + "']");
    var chosen = Array.prototype.filter.call(boxes, function (box) { return box.checked; }).length;
    document.querySelectorAll("[data-chosen-count='" + name + "']").forEach(function (span) {
      span.textContent = flag
        ? message("all_matching", "All {n} matching chosen", { n: formatCount(flag.getAttribute("data-total")) })
        : message("chosen", "{n} chosen", { n: formatCount(chosen) });
    });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    var name = target.getAttribute && target.getAttribute("data-all-matching");
    if (name) {
      if (target.checked) {
        document.querySelectorAll("input[type=checkbox][name='" + name + "']").forEach(function (box) { box.checked = true; });
      }
      show(name);
    } else if (target.type === "checkbox" && target.name && flags(target.name).length) {
      if (!target.checked) {
        flags(target.name).forEach(function (box) { box.checked = false; });
      }
      show(target.name);
    }
  });
  document.addEventListener("click", function (event) {
    var none = event.target.closest && event.target.closest("[data-check-none]");
    if (none) {
      var name = none.getAttribute("data-check-none");
      flags(name).forEach(function (box) { box.checked = false; });
      show(name);
    }
  });
}());

// A search box placed before ``element``, named "Find <what>"; ``filter(words)`` runs on each keystroke with
// the lower-case words typed (every word must match).
function addSearchBox(element, what, filter) {
  var input = document.createElement("input");
  input.type = "search";
  input.placeholder = message("find", "Find {what}", { what: what });
  input.setAttribute("aria-label", input.placeholder);
  if (element.id) {
    input.setAttribute("aria-controls", element.id);
  }
  element.parentNode.insertBefore(input, element);
  input.addEventListener("input", function () {
    filter(input.value.toLowerCase().split(/\s+/).filter(Boolean));
  });
}

function matchesAll(text, words) {
  return words.every(function (word) { return text.indexOf(word) !== -1; });
}

// <select data-searchable="zones by city or country">: a search box above it keeps only the options whose text matches.
// <select data-zone-by-city='{"12": "Europe/Oslo"}'>: choosing a host city picks its zone, until the
// user chooses a zone themselves.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    addSearchBox(select, select.getAttribute("data-searchable"), function (words) {
      var first = null;
      select.querySelectorAll("option").forEach(function (option) {
        var text = (option.textContent + " " + option.value + " " +
                    (option.parentNode.label || "")).toLowerCase().replace(/_/g, " ");
        var shown = matchesAll(text, words);
        option.hidden = !shown;
        if (shown && first === null) { first = option; }
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (first && select.selectedOptions[0] && select.selectedOptions[0].hidden) {
        select.value = first.value;
        select.setAttribute("data-chosen", "yes");
      }
    });
  });
  document.querySelectorAll("select[data-zone-by-city]").forEach(function (zone) {
    var zones = JSON.parse(zone.getAttribute("data-zone-by-city"));
    zone.addEventListener("change", function () { zone.setAttribute("data-chosen", "yes"); });
    var host = zone.form && zone.form.querySelector("select[name='host_city']");
    if (host) {
      host.addEventListener("change", function () {
        if (!zone.hasAttribute("data-chosen") && zones[host.value]) {
          zone.value = zones[host.value];
        }
      });
    }
  });
});

// <body data-detect-timezone="/account/timezone">: tell the server the browser's time zone, once.
document.addEventListener("DOMContentLoaded", function () {
  var url = document.body.getAttribute("data-detect-timezone");
  var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!url || !zone || !window.fetch) {
    return;
  }
  var body = new URLSearchParams({ timezone: zone, detected: "1", csrf_token: document.body.getAttribute("data-csrf") });
  fetch(url, { method: "POST", body: body, credentials: "same-origin" });
});

// <div data-filterable="speakers by name">: a search box above a long list of checkboxes keeps the
// matching ones and every ticked one in view.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-filterable]").forEach(function (box) {
    addSearchBox(box, box.getAttribute("data-filterable"), function (words) {
      box.querySelectorAll("label").forEach(function (label) {
        var ticked = label.querySelector("input:checked");
        label.hidden = !ticked && !matchesAll(label.textContent.toLowerCase(), words);
      });
    });
  });
});
