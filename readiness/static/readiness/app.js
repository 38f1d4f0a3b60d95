/* 双11 备战检查 — a few enhancements over plain HTML forms (every page also works without scripts).
 *
 * - shop switcher: submit on change
 * - forms marked data-partial: post with fetch, swap the listing panel with the returned HTML (no reload)
 * - highlights: reason, citation and suggestion on hover or keyboard focus; side list ↔ highlight linking
 * - countdowns to the promotion's phases; progress bars that poll a JSON endpoint
 * - spreadsheet upload: show the column mapping as soon as a file is chosen
 * - listing page: J / K go to the next / previous listing of the queue; find and replace: tick or untick all
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  // ---- shop switcher ---------------------------------------------------------------------------------------
  document.addEventListener("change", function (event) {
    var select = event.target.closest && event.target.closest("select[data-autosubmit]");
    if (!select) return;
    if (select.id === "nav-shop") {
      var promotion = $("#nav-promotion");
      if (promotion) promotion.disabled = true; // another shop: let the server pick its latest promotion
    }
    select.form.submit();
  });

  // ---- busy state for long posts (re-scan, upload) ---------------------------------------------------------
  function setBusy(form, busy) {
    form.classList.toggle("is-busy", busy);
    form.setAttribute("aria-busy", busy ? "true" : "false");
    $all("button", form).forEach(function (b) { b.disabled = busy; });
    var live = $("[data-status]");
    if (busy && form.dataset.busy && live) { live.textContent = form.dataset.busy; live.classList.add("has-message"); }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.hasAttribute("data-partial")) {
      event.preventDefault();
      submitPartial(form);
    } else if (form.dataset.busy) {
      // let the normal post go, but show that something is happening (a scan takes a few seconds)
      window.setTimeout(function () { setBusy(form, true); }, 0);
    }
  });

  // ---- partial updates of the listing panel ------------------------------------------------------------------
  function submitPartial(form) {
    var panel = $("[data-panel]");
    if (!panel) { form.submit(); return; }
    setBusy(form, true);
    panel.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("text/html") === -1) throw new Error("unexpected response " + response.status);
      return response.text();
    }).then(function (html) {
      hideTooltip();
      panel.innerHTML = html;
      panel.removeAttribute("aria-busy");
      var target = $("[data-error]", panel) || $("[data-status]", panel);
      if (target) { target.setAttribute("tabindex", "-1"); target.focus(); }
    }).catch(function () {
      panel.removeAttribute("aria-busy");
      form.removeAttribute("data-partial"); // fall back to a normal post
      form.submit();
    });
  }

  // ---- highlight tooltips and linking ------------------------------------------------------------------------
  var tooltip = null;
  function findingIds(mark) { return (mark.getAttribute("data-findings") || "").split(" ").filter(Boolean); }

  function activate(ids, on) {
    ids.forEach(function (id) {
      $all('mark[data-findings~="' + id + '"]').forEach(function (m) { m.classList.toggle("is-active", on); });
      var item = document.getElementById("finding-" + id);
      if (item) item.classList.toggle("is-active", on);
    });
  }

  function showTooltip(mark) {
    tooltip = tooltip || $("#hl-tooltip");
    if (!tooltip) return;
    if (mark.hasAttribute("title")) { mark.dataset.title = mark.getAttribute("title"); mark.removeAttribute("title"); }
    var parts = findingIds(mark).map(function (id) {
      var body = document.getElementById("tip-" + id);
      return body ? body.innerHTML : "";
    }).filter(Boolean);
    if (!parts.length) return;
    tooltip.innerHTML = parts.join("<hr>");
    tooltip.hidden = false;
    var rect = mark.getBoundingClientRect();
    var left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - tooltip.offsetWidth - 8));
    tooltip.style.left = left + "px";
    tooltip.style.top = (rect.bottom + window.scrollY + 6) + "px";
  }
  function hideTooltip() { if (tooltip) tooltip.hidden = true; $all("mark.is-active, .finding.is-active").forEach(function (el) { el.classList.remove("is-active"); }); }

  function onEnter(event) {
    var mark = event.target.closest && event.target.closest("mark.hl");
    if (mark) { showTooltip(mark); activate(findingIds(mark), true); return; }
    var item = event.target.closest && event.target.closest("li[data-finding]");
    if (item) activate([item.getAttribute("data-finding")], true);
  }
  function onLeave(event) {
    var mark = event.target.closest && event.target.closest("mark.hl");
    if (mark) { hideTooltip(); return; }
    var item = event.target.closest && event.target.closest("li[data-finding]");
    if (item && !item.contains(event.relatedTarget)) activate([item.getAttribute("data-finding")], false);
  }
  document.addEventListener("mouseover", onEnter);
  document.addEventListener("focusin", onEnter);
  document.addEventListener("mouseout", onLeave);
  document.addEventListener("focusout", onLeave);
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") hideTooltip(); });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-focus-finding]");
    if (!link) return;
    var anchor = document.getElementById(link.getAttribute("href").slice(1));
    var mark = anchor;
    while (mark && mark.tagName !== "MARK") mark = mark.nextElementSibling;
    if (!mark) return;
    event.preventDefault();
    mark.scrollIntoView({ block: "center", behavior: "smooth" });
    mark.focus({ preventScroll: true });
  });

  // ---- countdowns --------------------------------------------------------------------------------------------
  function tick() {
    $all("[data-countdown]").forEach(function (el) {
      var at = Date.parse(el.getAttribute("data-countdown"));
      if (isNaN(at)) return;
      var diff = at - Date.now();
      var past = diff < 0;
      var s = Math.floor(Math.abs(diff) / 1000);
      var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
      var fmt = el.getAttribute(past ? "data-fmt-past" : "data-fmt-future") || "";
      el.textContent = fmt.replace("{d}", d).replace("{h}", h).replace("{m}", m);
    });
  }
  if ($("[data-countdown]")) { tick(); window.setInterval(tick, 30000); }

  // ---- progress bars -----------------------------------------------------------------------------------------
  $all("[data-progress-url]").forEach(function (box) {
    var bar = $("progress", box), text = $("[data-progress-text]", box), status = $("[data-progress-status]", box);
    function poll() {
      fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (bar) { bar.max = data.total; bar.value = data.done; bar.setAttribute("data-percent", data.percent != null ? data.percent : ""); }
          if (text) text.textContent = (data.percent != null ? data.percent : Math.round(100 * data.done / Math.max(1, data.total))) + "%";
          if (status && data.status_label) status.textContent = data.status_label;
          if (!data.finished) { window.setTimeout(poll, 1000); return; }
          if (box.hasAttribute("data-reload-when-done")) { window.location.reload(); return; }
          var done = $("[data-progress-done]", box);
          if (done) {
            done.hidden = false;
            var summary = $("[data-progress-summary]", done);
            if (summary) summary.textContent = data.summary || "";
            var errors = $("[data-progress-errors]", done);
            if (errors && data.errors && data.errors.length) {
              errors.hidden = false;
              errors.innerHTML = "";
              data.errors.forEach(function (e) { var li = document.createElement("li"); li.textContent = (e.path ? e.path + ": " : "") + e.message; errors.appendChild(li); });
            }
          }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    var finished = box.querySelector("[data-progress-done]");
    if (!finished || finished.hidden) poll();
  });

  // ---- listing page: J / K for the next and previous listing of the queue (not while typing) -----------------
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName))) return;
    var key = (event.key || "").toLowerCase();
    var link = key === "j" ? $('a[data-nav="next"]') : key === "k" ? $('a[data-nav="prev"]') : null;
    if (link) { event.preventDefault(); window.location.assign(link.href); }
  });

  // ---- find and replace: one box ticks or unticks every change -----------------------------------------------
  document.addEventListener("change", function (event) {
    var all = event.target.closest && event.target.closest("input[data-check-all]");
    if (!all || !all.form) return;
    $all('input[name="change"]', all.form).forEach(function (box) { box.checked = all.checked; });
  });

  // ---- spreadsheet column mapping ------------------------------------------------------------------------------
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
    var form = input.form;
    if (!form || !form.dataset.columnsUrl) return;
    var box = $("[data-mapping]", form);
    var file = input.files && input.files[0];
    if (!box) return;
    if (!file || !/\.(xlsx|xlsm|csv|txt|tsv)$/i.test(file.name)) { box.innerHTML = ""; return; }
    var body = new FormData();
    body.append("file", file);
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    box.setAttribute("aria-busy", "true");
    fetch(form.dataset.columnsUrl, { method: "POST", body: body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.text(); })
      .then(function (html) { box.innerHTML = html; box.removeAttribute("aria-busy"); })
      .catch(function () { box.removeAttribute("aria-busy"); });
  });
})();
