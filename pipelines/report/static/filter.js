// Scoreboard filter by domain and framework. Without JavaScript the controls stay hidden
// and every row shows; nothing here is needed to read the report.
(function () {
  "use strict";
  var form = document.querySelector("[data-filter]");
  var body = document.querySelector("[data-filter-rows]");
  if (!form || !body) { return; }
  var rows = Array.prototype.slice.call(body.querySelectorAll("tr"));
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter-key]"));
  var status = form.querySelector("[data-filter-status]");
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var keep = selects.every(function (s) {
        return !s.value || row.getAttribute("data-" + s.getAttribute("data-filter-key")) === s.value;
      });
      row.hidden = !keep;
      if (keep) { shown += 1; }
    });
    status.textContent = status.getAttribute("data-template")
      .replace("{shown}", String(shown)).replace("{total}", String(rows.length));
  }
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
}());
