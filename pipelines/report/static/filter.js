// The overview's filters work without JavaScript (the stylesheet hides what a chosen option
// excludes); this script only says how many indicators are shown. Nothing here is needed to
// read the report.
(function () {
  "use strict";
  var form = document.querySelector("[data-filter]");
  if (!form) { return; }
  var groups = Array.prototype.slice.call(document.querySelectorAll("tbody.indicator"));
  var status = form.querySelector("[data-filter-status]");
  function count() {
    var shown = groups.filter(function (g) { return g.getClientRects().length > 0; }).length;
    status.textContent = status.getAttribute("data-template")
      .replace("{shown}", String(shown)).replace("{total}", String(groups.length));
  }
  form.addEventListener("change", count);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  count();
}());
