// Small progressive enhancements; every page works without them. Kept out of the HTML so that a strict
// Content-Security-Policy (script-src 'self') holds.
(function () {
  "use strict";

  // Art. 2: ask for the reason only when the police or procuratorate is not of the executing court's region.
  function setUpArt2(form) {
    var courtSelect = form.querySelector("select[name=executing_court]");
    var agencySelects = form.querySelectorAll("select[name=police_agency], select[name=procuratorate]");
    var reasonField = document.getElementById("field-jurisdiction_reason");
    if (!reasonField || agencySelects.length === 0) return;

    function regionOf(select) {
      var option = select && select.selectedOptions[0];
      return option ? option.getAttribute("data-region") || "" : "";
    }
    function courtRegion() {
      return courtSelect ? regionOf(courtSelect) : form.getAttribute("data-court-region") || "";
    }
    function update() {
      var court = courtRegion();
      var other = Array.prototype.some.call(agencySelects, function (select) {
        var region = regionOf(select);
        return court && region && region !== court;
      });
      var hasError = reasonField.classList.contains("has-error");
      reasonField.hidden = !(other || hasError);
      var input = reasonField.querySelector("textarea");
      if (input) input.required = other;
    }
    // A procurator or creditor picking another court: move the agencies along to that court's region.
    function followCourt() {
      var court = courtRegion();
      agencySelects.forEach(function (select) {
        if (regionOf(select) === court) return;
        var match = Array.prototype.find.call(select.options, function (o) {
          return o.getAttribute("data-region") === court;
        });
        if (match) select.value = match.value;
      });
      update();
    }
    agencySelects.forEach(function (select) { select.addEventListener("change", update); });
    if (courtSelect) courtSelect.addEventListener("change", followCourt);
    update();
  }

  // The language picker switches at once; the button stays for keyboard and no-script users.
  function setUpLanguage() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  // Once a transition form is loaded into the case page, move the focus to its first field.
  function focusLoadedForm(event) {
    var panel = event.detail && event.detail.target;
    if (!panel || panel.id !== "action-panel") return;
    var first = panel.querySelector("textarea, input:not([type=hidden]), select, button[type=submit]");
    if (first) first.focus();
    panel.scrollIntoView({ block: "nearest" });
  }

  // A form being sent: its buttons disabled and turning, aria-busy on the form and a word beside the buttons,
  // until the answer is in (a slow step otherwise looks like a click that did nothing, and invites a second one).
  function setBusy(form, busy) {
    if (!form || form.tagName !== "FORM" || !form.isConnected) return;
    if (busy) form.setAttribute("aria-busy", "true"); else form.removeAttribute("aria-busy");
    form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
      button.disabled = busy;
      button.classList.toggle("is-busy", busy);
    });
    var note = form.querySelector(".busy-note");
    if (!note && busy) {
      note = document.createElement("span");
      note.className = "busy-note";
      note.setAttribute("role", "status");
      (form.querySelector(".form-actions") || form).appendChild(note);
    }
    if (note) note.textContent = busy ? document.body.getAttribute("data-busy-text") || "" : "";
  }

  function isHtmxForm(form) {
    return form.hasAttribute("hx-post") || form.hasAttribute("hx-get");
  }

  // Plain forms: the page is left, busy until the next one comes. Disabled only after the browser has read the
  // form (a disabled button would not be sent along).
  function busyOnSubmit(event) {
    var form = event.target;
    if (event.defaultPrevented || isHtmxForm(form) || (form.method || "").toLowerCase() !== "post") return;
    window.setTimeout(function () { setBusy(form, true); }, 0);
  }

  // Back to a page kept by the browser: nothing is being sent any more.
  function notBusyAnyMore(event) {
    if (event.persisted) document.querySelectorAll("form[aria-busy]").forEach(function (form) { setBusy(form, false); });
  }

  // What the user typed survives an expired session. An htmx form is saved when it is sent; if the answer sends
  // the window to the login page (HX-Redirect), the saved copy stays in this tab's sessionStorage, and the page
  // the login leads back to puts it into the same form again, then forgets it. Only for the same user, for two
  // hours, never a password, a file or the CSRF token.
  var DRAFT = "refusal-cases.draft";
  var DRAFT_AGE = 2 * 3600 * 1000;

  function draftFields(form) {
    var fields = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") return;
      if (["file", "password", "hidden", "submit", "button"].indexOf(el.type) >= 0) return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      fields.push([el.name, el.value, el.type === "checkbox" || el.type === "radio"]);
    });
    return fields;
  }

  function saveDraft(form) {
    var user = document.body.getAttribute("data-user");
    if (!user || !window.sessionStorage) return;
    var panel = form.closest("[id$='-panel']");
    try {
      sessionStorage.setItem(DRAFT, JSON.stringify({
        user: user, page: location.pathname + location.search, action: form.getAttribute("action"),
        panel: panel ? panel.id : "", fields: draftFields(form), at: Date.now()
      }));
    } catch (e) { /* storage full or refused: nothing kept */ }
  }

  function forgetDraft() {
    try { sessionStorage.removeItem(DRAFT); } catch (e) { /* nothing kept */ }
  }

  function fillForm(form, fields) {
    var first = null, chosen = {}, typed = {};
    fields.forEach(function (field) {
      if (field[2]) (chosen[field[0]] = chosen[field[0]] || []).push(field[1]); else typed[field[0]] = field[1];
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (!(el.name in chosen)) return;
        el.checked = chosen[el.name].indexOf(el.value) >= 0;
      } else if (el.name in typed && el.type !== "file" && el.type !== "hidden") {
        el.value = typed[el.name];
        first = first || el;
      } else {
        return;
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    var text = document.body.getAttribute("data-restored-text");
    if (text && !form.querySelector(".restored-note")) {
      var note = document.createElement("p");
      note.className = "restored-note";
      note.setAttribute("role", "status");
      note.setAttribute("data-testid", "restored");
      note.textContent = text;
      form.insertBefore(note, form.firstChild);
    }
    if (first) first.focus();
  }

  function restoreDraft() {
    var user = document.body.getAttribute("data-user");
    var draft = null;
    try { draft = JSON.parse(sessionStorage.getItem(DRAFT) || "null"); } catch (e) { draft = null; }
    if (!draft || !user) return;  // the login page: kept for the page after it
    if (draft.user !== user || Date.now() - draft.at > DRAFT_AGE || !draft.action) { forgetDraft(); return; }
    if (draft.page !== location.pathname + location.search) return;
    var selector = "form[action=\"" + CSS.escape(draft.action) + "\"]";
    var form = document.querySelector(selector);
    if (form) { forgetDraft(); fillForm(form, draft.fields); return; }
    var panel = draft.panel && document.getElementById(draft.panel);
    if (!panel || !window.htmx) { forgetDraft(); return; }
    // The form lived in a panel: open the panel again, then fill it in.
    window.htmx.ajax("GET", draft.action, { target: panel, swap: "innerHTML" }).then(function () {
      forgetDraft();
      var loaded = panel.querySelector(selector);
      if (loaded) fillForm(loaded, draft.fields);
    });
  }

  // The procedure's diagram scrolls within its frame on a narrow screen: bring the case's state into view.
  function showCurrentState() {
    document.querySelectorAll(".diagram-scroll").forEach(function (frame) {
      var current = frame.querySelector("g.state.current");
      if (!current || frame.scrollWidth <= frame.clientWidth) return;
      var box = current.getBoundingClientRect(), area = frame.getBoundingClientRect();
      frame.scrollLeft += box.left + box.width / 2 - (area.left + area.width / 2);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-art2]").forEach(setUpArt2);
    showCurrentState();
    setUpLanguage();
    restoreDraft();
  });
  document.addEventListener("submit", busyOnSubmit);
  window.addEventListener("pageshow", notBusyAnyMore);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.tagName !== "FORM") return;
    if (event.detail.requestConfig && event.detail.requestConfig.verb !== "get") saveDraft(form);
    setBusy(form, true);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (!form || form.tagName !== "FORM") return;
    var xhr = event.detail.xhr;
    var leaving = xhr && xhr.getResponseHeader("HX-Redirect");
    if (!(leaving && xhr.status === 401)) forgetDraft();  // 401: off to the login, the draft stays for afterwards
    if (!leaving) setBusy(form, false);  // leaving the page: busy until the next one comes
  });
  document.addEventListener("htmx:afterSwap", focusLoadedForm);
})();
