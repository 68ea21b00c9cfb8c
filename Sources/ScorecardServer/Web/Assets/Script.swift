import ScorecardCore

/// The project's one script, served at `/static/scorecard.js`: conveniences only. Every page
/// reads and works without it (forms have their own submit buttons).
enum Script {
    static let js = #"""
"use strict";
document.documentElement.classList.add("js");
// Filter forms marked data-autosubmit submit when a select changes; their Apply button is hidden.
document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", function () {
      // "Chosen week" and "Dates" wait for their inputs and the Apply button.
      if (select.value === "custom") { return; }
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  });
});
// Buttons with data-confirm ask before their form is sent.
document.querySelectorAll("[data-confirm]").forEach(function (button) {
  button.addEventListener("click", function (event) {
    if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
});
"""#
}
