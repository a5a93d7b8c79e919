// Collector pages: forms marked data-confirm ask before they are sent.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    const message = event.target.dataset ? event.target.dataset.confirm : null;
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
