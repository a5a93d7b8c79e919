// Site-wide behaviour: show the server's toasts, and toasts that htmx responses trigger.
(function () {
  function showToasts(root) {
    (root || document).querySelectorAll("#toasts .toast:not(.show)").forEach(function (el) {
      bootstrap.Toast.getOrCreateInstance(el).show();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { showToasts(); });
  document.body.addEventListener("htmx:afterSwap", function () { showToasts(); });
})();
