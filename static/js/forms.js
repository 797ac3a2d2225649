// Public forms' error summary (templates/includes/error_summary.html), as GOV.UK's works:
// focus moves to the summary when the page opens, and following one of its links focuses the
// field with its label or legend in view. Without this file the form's #fragment still opens
// the page at the form (browsers skip `autofocus` when the address has a fragment).
(function () {
  "use strict";

  function labelFor(input) {
    var fieldset = input.closest("fieldset");
    if (fieldset && fieldset.querySelector("legend")) return fieldset.querySelector("legend");
    return (input.id && document.querySelector('label[for="' + input.id + '"]')) || input;
  }

  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    // The browser scrolls to the #fragment after the load and may leave focus on the body.
    window.addEventListener("load", function () {
      if (document.activeElement === document.body) summary.focus();
    });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var input = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      event.preventDefault();
      labelFor(input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
