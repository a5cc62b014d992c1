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
    versionInPage();
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

  // Every write carries the version of the brief this page last saw; the server refuses it
  // (409) when another tab changed the brief since. Every answer that changes the brief renders
  // the summary, which holds the new version, swapped in or not.
  var briefVersion = 0;
  var VERSION_RE = /data-brief-version="(\d+)"/;

  function seeVersion(text) {
    var match = VERSION_RE.exec(text || "");
    if (match) briefVersion = Math.max(briefVersion, parseInt(match[1], 10));
  }

  function versionInPage() {
    var summary = document.getElementById("wizard-summary");
    if (summary) seeVersion('data-brief-version="' + summary.getAttribute("data-brief-version") + '"');
  }

  // Generate must dispatch on the first click, whatever was typed just before. Leaving a review
  // field fires its save on the press of the mouse button, before the click: were that save's
  // answer swapped in between press and release, the button under the pointer would be a new
  // one and the click lost. Generate posts every field and the server saves them first, so a
  // save started by the press is skipped, and an answer to an older save is not swapped in
  // once a newer change (or Generate) is on its way.
  var generating = false;
  var reviewChanges = 0;

  document.addEventListener("pointerdown", function (event) {
    if (!event.target.closest || !event.target.closest("#btn-generate")) return;
    generating = true;
    // A press released elsewhere is no click: later changes save again.
    window.setTimeout(function () { generating = false; }, 1500);
  }, true);

  document.addEventListener("change", function (event) {
    if (event.target.closest && event.target.closest("#review-form")) reviewChanges += 1;
  }, true);

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("#btn-generate")) reviewChanges += 1;
  }, true);

  // One write at a time per tab, each sent with the version the previous one produced: two
  // quick edits of this tab (a field's delayed save and a chip, say) must never refuse each
  // other as if they came from two tabs.
  var writes = 0;
  var waiting = [];

  function nextWrite() {
    while (writes === 0 && waiting.length) {
      var next = waiting.shift();
      if (next.elt.isConnected) { next.issue(true); continue; }
      // The write before it swapped its field out (a structural change re-renders the body):
      // put what was typed into the new field and save it from there, so no typing is lost.
      var fresh = next.elt.id && document.getElementById(next.elt.id);
      if (fresh && "value" in next.elt && fresh.value !== next.elt.value) {
        fresh.value = next.elt.value;
        window.htmx.trigger(fresh, "input");
      }
    }
  }

  document.addEventListener("htmx:confirm", function (event) {
    var detail = event.detail;
    var elt = detail.elt;
    if (generating && elt && elt.id === "review-form") { event.preventDefault(); return; }
    // A write that asks the browser's confirmation first goes as is: queuing would skip it.
    if (detail.verb === "get" || !writes || detail.question) return;
    event.preventDefault();
    waiting.push({ issue: detail.issueRequest, elt: elt });
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var xhr = event.detail.xhr;
    if (event.detail.requestConfig.verb === "get") return;
    writes += 1;
    xhr.addEventListener("loadend", function () {
      seeVersion(xhr.responseText);
      writes -= 1;
      nextWrite();
    });
  });

  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get" && briefVersion) {
      event.detail.parameters.brief_version = String(briefVersion);
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    event.detail.xhr.reviewChange = reviewChanges;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    seeVersion(xhr.responseText);
    if (xhr.status === 409) {
      // A refused stale write: its answer says so in #wizard-conflict (HX-Retarget).
      event.detail.shouldSwap = true;
      event.detail.isError = false;
      return;
    }
    var elt = event.detail.elt;
    if (elt && elt.id === "review-form" && xhr.reviewChange < reviewChanges) {
      event.detail.shouldSwap = false;
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-reload]")) {
      event.preventDefault();
      window.location.reload();
    }
  });

  // Escape closes the panel that holds the focus, like a dialog would.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !document.activeElement) return;
    var slot = document.activeElement.closest(".panel-slot, .tool-slot");
    var closer = slot && slot.querySelector("[data-close-panel]");
    if (closer) { event.preventDefault(); closePanel(closer); }
  });
})();
