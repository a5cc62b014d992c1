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

  // <button data-reveal="#id" aria-expanded="false">: shows the hidden element (e.g. the rename
  // form) and puts the caret in its first field; a second press hides it again.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-reveal]");
    if (!button) return;
    var target = document.querySelector(button.getAttribute("data-reveal"));
    if (!target) return;
    var open = target.hasAttribute("hidden");
    target.toggleAttribute("hidden", !open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      var input = target.querySelector("input:not([type=hidden]), select, textarea");
      if (input) { input.focus(); if (input.select) input.select(); }
    }
  });

  // After a swap removed the focused control (the promote button replaced by the identity's
  // status), focus would fall back to <body> and a keyboard user would start over at the top.
  // Move it to the swapped-in element marked data-focus-after-swap, preferring a link (the
  // "Open" link once the identity is ready) over the status it replaces. Only when focus was
  // lost or is still on such a marked placeholder: never away from where the user moved it.
  document.addEventListener("htmx:afterSettle", function () {
    var active = document.activeElement;
    var lost = !active || active === document.body;
    if (!lost && !active.hasAttribute("data-focus-after-swap")) return;
    var marked = Array.prototype.slice.call(document.querySelectorAll("[data-focus-after-swap]"));
    var links = marked.filter(function (el) { return el.tagName === "A"; });
    var next = links.length ? links[links.length - 1] : (lost ? marked[marked.length - 1] : null);
    if (next && next !== active) next.focus();
  });
})();
