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
