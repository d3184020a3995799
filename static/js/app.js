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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-art2]").forEach(setUpArt2);
    setUpLanguage();
  });
  document.addEventListener("htmx:afterSwap", focusLoadedForm);
})();
