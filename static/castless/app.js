/* Castless pages: the little behaviour htmx does not cover, kept out of the HTML because the
   Content-Security-Policy runs no inline script (no onclick, no hx-on, no hx-trigger filter).
   Event delegation, so it also works on content htmx swaps in. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain-http deployments have no Clipboard API: fall back to a selected textarea.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "sr-only";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  // <button data-copy-value="#input-id">: copies that input's value, then says so on the button.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-value]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy-value"));
    if (!source) return;
    copyText(source.value).then(
      function () { button.textContent = "Copied"; },
      function () {
        button.textContent = "Copy failed: select the text";
        source.select();
      }
    );
  });

  // Elements marked data-poll-when-visible poll with hx-trigger="every …": skip the polls of a
  // tab nobody is looking at (htmx's own [filter] syntax needs eval).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt && elt.hasAttribute("data-poll-when-visible") && document.visibilityState !== "visible") {
      event.preventDefault();
    }
  });
})();
