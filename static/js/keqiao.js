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
  // Uploads: a form sending files shows how much has gone (its <progress data-upload-progress>),
  // then shows what the server answered: the page it redirected to, or the form with its
  // errors. Without XMLHttpRequest the form posts as usual.
  (function () {
    document.querySelectorAll("form[enctype='multipart/form-data']").forEach(function (form) {
      var bar = form.querySelector("progress[data-upload-progress]");
      if (!bar || !window.FormData || !window.XMLHttpRequest) { return; }
      form.addEventListener("submit", function (event) {
        var chosen = Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
          return input.files && input.files.length > 0;
        });
        if (!chosen) { return; }
        event.preventDefault();
        var buttons = form.querySelectorAll("button[type=submit]");
        buttons.forEach(function (b) { b.disabled = true; });
        bar.value = 0;
        bar.hidden = false;
        var xhr = new XMLHttpRequest();
        var target = form.action || window.location.href;
        xhr.open("POST", target);
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) { bar.value = Math.round((100 * e.loaded) / e.total); }
        });
        xhr.addEventListener("load", function () {
          // The answer is shown as it came (a second request would lose its messages),
          // under the address it came from.
          if (xhr.responseURL && xhr.responseURL !== target) {
            window.history.replaceState(null, "", xhr.responseURL);
          }
          document.open();
          document.write(xhr.responseText);
          document.close();
        });
        xhr.addEventListener("error", function () {
          bar.hidden = true;
          buttons.forEach(function (b) { b.disabled = false; });
          form.submit();
        });
        xhr.send(new FormData(form));
      });
    });
  })();
})();
