// The outcomes page: a cadre list narrows as one types (name, pinyin or home unit); ticked
// cadres stay shown, so that a choice is never hidden from view.
(function () {
  "use strict";

  document.querySelectorAll("[data-cadre-picker]").forEach(function (picker) {
    var input = picker.querySelector("[data-cadre-search]");
    var none = picker.querySelector("[data-cadre-none]");
    var options = picker.querySelectorAll("[data-search]");
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      options.forEach(function (option) {
        var text = option.dataset.search;
        var ticked = option.querySelector("input").checked;
        var match = ticked || words.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !match;
        shown += match ? 1 : 0;
      });
      none.hidden = shown > 0;
    });
  });
})();
