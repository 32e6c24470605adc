// The search pages: a change of any of the search form's own fields asks htmx to reload the
// results. Fields of the "save this search" form sit inside the search form's markup
// (form="save-search-form") and must not; htmx's trigger filters would need eval(), which
// the Content-Security-Policy forbids, so the filter is here.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) { return; }
  form.addEventListener("change", function (event) {
    if (event.target.form === form) {
      form.dispatchEvent(new CustomEvent("kq-search-change"));
    }
  });
})();
