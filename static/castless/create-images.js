/* Create images: what htmx cannot do on the form (the Content-Security-Policy runs no inline
   script). The $model / $product buttons insert their word at the caret of the prompt; "New
   seed" draws a random seed in the reference's range; the no-JavaScript "Update cost" button
   hides, since the cost then updates itself. Event delegation, so swapped-in content works too. */
(function () {
  "use strict";

  var SEED_MAX = 4294967295; // 2^32 - 1, the reference's range

  function changed(input, type) {
    input.dispatchEvent(new Event(type, { bubbles: true }));
  }

  // Inserts `token` at the caret (replacing a selection), with a space on each side where the
  // neighbouring text has none, and leaves the caret after it.
  function insertToken(area, token) {
    var start = area.selectionStart == null ? area.value.length : area.selectionStart;
    var end = area.selectionEnd == null ? start : area.selectionEnd;
    var before = area.value.slice(0, start);
    var after = area.value.slice(end);
    var text = (before && !/\s$/.test(before) ? " " : "") + token + (after && !/^\s/.test(after) ? " " : "");
    area.focus();
    area.setRangeText(text, start, end, "end");
    changed(area, "input");
  }

  function newSeed() {
    var value = new Uint32Array(1);
    window.crypto.getRandomValues(value);
    return Math.min(value[0], SEED_MAX);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert-token]");
    if (button) {
      var area = document.querySelector(button.getAttribute("data-target"));
      if (area) insertToken(area, button.getAttribute("data-insert-token"));
      return;
    }
    button = event.target.closest("[data-new-seed]");
    if (button) {
      var input = document.querySelector(button.getAttribute("data-new-seed"));
      if (!input) return;
      input.value = String(newSeed());
      changed(input, "change");
    }
  });

  function hideFallbacks() {
    document.querySelectorAll("[data-js-hide]").forEach(function (el) { el.hidden = true; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", hideFallbacks);
  else hideFallbacks();
})();
