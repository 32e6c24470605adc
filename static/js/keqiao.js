// Keqiao's behaviour on every page, kept out of the templates so the Content-Security-Policy
// can forbid inline script.
(function () {
  "use strict";
  // With JavaScript on, the language switches as soon as it is chosen.
  document.querySelectorAll(".kq-lang").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll(".kq-lang-go").forEach(function (button) {
    button.classList.add("d-none");
  });

  // The listing form: the asking price only matters when the price is not negotiable.
  (function () {
    var box = document.getElementById("id_price_negotiable");
    var price = document.getElementById("id_asking_price");
    if (!box || !price) { return; }
    var wrapper = price.closest(".mb-3") || price;
    function sync() { wrapper.hidden = box.checked; }
    box.addEventListener("change", sync);
    sync();
  })();

  // Sign-up and "no organisation": show only the organisation block that matches the chosen
  // option (both show without JavaScript).
  (function () {
    var radios = document.querySelectorAll("input[data-org-choice]");
    var blocks = document.querySelectorAll("[data-org-block]");
    if (!radios.length) { return; }
    function sync() {
      var chosen = null;
      radios.forEach(function (r) { if (r.checked) { chosen = r; } });
      blocks.forEach(function (b) { b.hidden = chosen !== null && b.dataset.orgBlock !== chosen.value; });
    }
    radios.forEach(function (r) { r.addEventListener("change", sync); });
    sync();
  })();
})();
