/* Castless Create wizard: only what htmx cannot do (copy to the clipboard, open the JSON
   inspector, close a panel and give focus back). No build step; event delegation, so it keeps
   working on content htmx swaps in. */
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
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(button) {
    var source = document.querySelector(button.getAttribute("data-copy"));
    var status = button.parentElement.querySelector(".copy-status");
    if (!source) return;
    copyText(source.textContent).then(
      function () { if (status) status.textContent = "Copied to the clipboard."; },
      function () { if (status) status.textContent = "Copy failed: select the text and copy it."; }
    );
  }

  function openDetails(link) {
    var details = document.getElementById(link.getAttribute("data-open-details"));
    if (!details) return false;
    details.open = true;
    var summary = details.querySelector("summary");
    details.scrollIntoView({ block: "start" });
    if (summary) summary.focus({ preventScroll: true });
    return true;
  }

  function closePanel(link) {
    var slot = link.closest(".panel-slot, .tool-slot");
    if (!slot) return false;
    slot.innerHTML = "";
    var back = document.getElementById(link.getAttribute("data-return-focus") || "");
    if (back) back.focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var el = target.closest("[data-copy]");
    if (el) { copy(el); return; }
    el = target.closest("[data-open-details]");
    if (el && openDetails(el)) { event.preventDefault(); return; }
    el = target.closest("[data-close-panel]");
    if (el && closePanel(el)) { event.preventDefault(); }
  });

  // Chip groups are toolbars with one tab stop (the selected chip, else the first): a brief has
  // ~250 chips per instruction, too many to Tab through. Arrow keys, Home and End move inside a
  // group; Space and Enter press the chip. Without JavaScript every chip stays tabbable.
  var CHIP_KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

  function makeCurrent(chip) {
    var group = chip.closest(".chips");
    group.querySelectorAll(".chip").forEach(function (other) {
      other.tabIndex = other === chip ? 0 : -1;
    });
  }

  function initChips(root) {
    root.querySelectorAll(".chips").forEach(function (group) {
      var first = group.querySelector(".chip");
      if (!first) return;
      group.setAttribute("role", "toolbar");
      var focused = group.contains(document.activeElement) ? document.activeElement : null;
      makeCurrent(focused || group.querySelector('.chip[aria-pressed="true"]') || first);
    });
  }

  document.addEventListener("focusin", function (event) {
    var chip = event.target.closest && event.target.closest(".chips .chip");
    if (chip) makeCurrent(chip);
  });

  document.addEventListener("keydown", function (event) {
    var chip = event.target.closest && event.target.closest(".chips .chip");
    if (!chip) return;
    var chips = Array.prototype.slice.call(chip.closest(".chips").querySelectorAll(".chip"));
    var index = chips.indexOf(chip);
    var next = null;
    if (event.key in CHIP_KEYS) next = chips[(index + CHIP_KEYS[event.key] + chips.length) % chips.length];
    else if (event.key === "Home") next = chips[0];
    else if (event.key === "End") next = chips[chips.length - 1];
    if (!next) return;
    event.preventDefault();
    makeCurrent(next);
    next.focus();
  });

  // The JSON inspector stays open across swaps of the wizard's body (add, remove, presets…).
  var INSPECTOR = "castless.wizard.inspector-open";

  document.addEventListener("toggle", function (event) {
    if (event.target.id === "json-details") {
      sessionStorage.setItem(INSPECTOR, event.target.open ? "1" : "");
    }
  }, true);

  function restoreInspector(root) {
    var details = root.querySelector ? root.querySelector("#json-details") : null;
    if (details && sessionStorage.getItem(INSPECTOR)) details.open = true;
  }

  function onLoad(root) {
    initChips(root);
    restoreInspector(root);
  }

  if (window.htmx) {
    // Settle at once. htmx wires up swapped-in content (hx-post, autofocus) when it settles,
    // 20 ms after the swap by default; in that gap a chip just re-rendered under the focus is a
    // plain submit button, so Enter or Space on it posted the whole instruction form instead
    // of toggling the chip. The wizard animates nothing on settle, so nothing is lost.
    window.htmx.config.defaultSettleDelay = 0;
    // Runs for the page and for every fragment htmx swaps in.
    window.htmx.onLoad(onLoad);
  } else {
    onLoad(document);
  }

  // Escape closes the panel that holds the focus, like a dialog would.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !document.activeElement) return;
    var slot = document.activeElement.closest(".panel-slot, .tool-slot");
    var closer = slot && slot.querySelector("[data-close-panel]");
    if (closer) { event.preventDefault(); closePanel(closer); }
  });
})();
