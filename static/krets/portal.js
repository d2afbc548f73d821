// The portal's few behaviours, wired by data attributes: the Content-Security-Policy allows no
// inline scripts or event handlers (krets/settings.py, CONTENT_SECURITY_POLICY).
(function () {
  "use strict";
  // <select data-autosubmit>: choosing a value submits its form (e.g. the year picker).
  document.addEventListener("change", function (event) {
    var field = event.target.closest("[data-autosubmit]");
    if (field && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });
  // <button data-print>: prints the page (the annual report).
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
