// The team leads' pages: host-unit search as you type, select all. (Bulk status changes are
// confirmed on a page of their own, which needs no script.)
(function () {
  "use strict";

  var list = document.getElementById("host-unit-options");
  var input = document.querySelector("[data-host-unit-search]");
  if (list && input) {
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = input.value.trim();
        if (!q || q === last) { return; }
        last = q;
        fetch(list.dataset.url + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.results.map(function (unit) {
              var option = document.createElement("option");
              option.value = unit.name;
              return option;
            }));
          })
          .catch(function () { /* offline: typing the full name still works */ });
      }, 200);
    });
  }

  var all = document.querySelector("[data-select-all]");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input[name=placements]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }
})();
