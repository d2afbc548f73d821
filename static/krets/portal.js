// Kretsportalen: small progressive enhancements. Every page works without this file; no inline
// script or event handler anywhere (the Content-Security-Policy forbids them: krets/settings.py,
// CONTENT_SECURITY_POLICY), everything is wired by data attributes.
(function () {
  "use strict";

  // Tables scroll inside their own box on a narrow screen. A box that scrolls is a region a
  // keyboard can reach (tabindex) and that a screen reader can name.
  function tableBoxes() {
    document.querySelectorAll("main table").forEach(function (table) {
      var parent = table.parentElement;
      if (parent.classList.contains("table-responsive")) return;
      var box = document.createElement("div");
      box.className = "table-responsive";
      parent.insertBefore(box, table);
      box.appendChild(table);
    });
    document.querySelectorAll("main table.table-stack").forEach(stackable);
    labelScrollingBoxes();
  }

  // A table that becomes stacked rows on a phone: every cell gets its column's header as a
  // label, and explicit roles keep it a table for screen readers when CSS makes it blocks.
  function stackable(table) {
    if (table.dataset.stacked) return;
    table.dataset.stacked = "1";
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    });
    table.setAttribute("role", "table");
    table.querySelectorAll("tr").forEach(function (tr) {
      tr.setAttribute("role", "row");
    });
    table.querySelectorAll("thead th").forEach(function (th) {
      th.setAttribute("role", "columnheader");
    });
    table.querySelectorAll("thead, tbody, tfoot").forEach(function (group) {
      group.setAttribute("role", "rowgroup");
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (cell, index) {
        cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
        if (cell.colSpan === 1 && !cell.hasAttribute("data-label")) {
          cell.setAttribute("data-label", headers[index] || "");
        }
      });
    });
  }

  function labelScrollingBoxes() {
    document.querySelectorAll("main .table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var caption = box.querySelector("caption");
        var heading = caption ? null : findHeading(box);
        var name = caption ? caption.textContent : heading ? heading.textContent : box.dataset.label;
        box.setAttribute("aria-label", (name || document.title).trim() + " (tabell)");
      } else if (!scrolls && box.getAttribute("tabindex") === "0" && box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  function findHeading(element) {
    var node = element;
    while (node && node.tagName !== "MAIN") {
      var sibling = node.previousElementSibling;
      while (sibling) {
        if (/^H[1-6]$/.test(sibling.tagName)) return sibling;
        var inner = sibling.querySelectorAll ? sibling.querySelectorAll("h1,h2,h3,h4,h5,h6") : [];
        if (inner.length) return inner[inner.length - 1];
        sibling = sibling.previousElementSibling;
      }
      node = node.parentElement;
    }
    return null;
  }

  // Irreversible actions: a form with data-confirm asks in a <dialog> first. Without this file
  // the server answers the same form with a confirmation page; either way the server acts only
  // when the form carries confirm=1.
  var dialog = null;
  function confirmDialog() {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "krets-confirm";
    dialog.setAttribute("aria-labelledby", "krets-confirm-text");
    dialog.innerHTML =
      '<form method="dialog"><p id="krets-confirm-text" class="fw-semibold"></p>' +
      '<p id="krets-confirm-detail" class="text-body-secondary"></p>' +
      '<div class="d-flex flex-wrap gap-2 justify-content-end">' +
      '<button class="btn btn-outline-secondary" value="no"></button>' +
      '<button class="btn btn-danger" value="yes"></button></div></form>';
    document.body.appendChild(dialog);
    return dialog;
  }

  function askFirst(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (form.querySelector('input[name="confirm"][value="1"]')) return;
    if (typeof HTMLDialogElement === "undefined") return; // the server asks instead
    event.preventDefault();
    var d = confirmDialog();
    d.querySelector("#krets-confirm-text").textContent = form.dataset.confirm;
    d.querySelector("#krets-confirm-detail").textContent = form.dataset.confirmDetail || "";
    d.querySelector('button[value="no"]').textContent = form.dataset.confirmNo || "Avbryt";
    d.querySelector('button[value="yes"]').textContent = form.dataset.confirmYes || "Ja";
    d.returnValue = "";
    d.onclose = function () {
      if (d.returnValue !== "yes") return;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "confirm";
      input.value = "1";
      form.appendChild(input);
      form.submit();
    };
    d.showModal();
    d.querySelector('button[value="no"]').focus();
  }

  // <select data-autosubmit>: choosing a value submits its form (e.g. the year picker).
  document.addEventListener("change", function (event) {
    var field = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
    if (field && field.form) {
      field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
    }
  });
  // <button data-print>: prints the page (the annual report).
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // Bars whose width is data (progress of a send, newsletters this year): the CSP allows no
  // style attribute in markup, but a width set through the CSSOM is allowed. data-width is a
  // percentage.
  function barWidths(root) {
    (root || document).querySelectorAll("[data-width]").forEach(function (bar) {
      var value = parseFloat(bar.dataset.width);
      if (isFinite(value)) bar.style.width = Math.max(0, Math.min(100, value)) + "%";
    });
  }

  document.addEventListener("submit", askFirst);
  document.addEventListener("DOMContentLoaded", function () {
    barWidths(document);
  });
  document.addEventListener("htmx:afterSwap", function () {
    barWidths(document);
  });
  document.addEventListener("DOMContentLoaded", tableBoxes);
  window.addEventListener("resize", labelScrollingBoxes);
  document.addEventListener("htmx:afterSwap", tableBoxes);
})();
