// Collector pages: forms marked data-confirm ask before they are sent; forms marked data-keep get back what
// was typed in them when the server refuses it (the refusal comes back as an error toast after a redirect),
// and show the refusal beside the form as well.
(function () {
  "use strict";
  const KEPT = "plm-kept-form";

  document.addEventListener("submit", function (event) {
    const form = event.target;
    const message = form.dataset ? form.dataset.confirm : null;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    if (form.dataset && form.dataset.keep !== undefined && form.id) {
      const values = {};
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken" && typeof value === "string") values[name] = value;
      });
      try {
        sessionStorage.setItem(KEPT, JSON.stringify({ id: form.id, path: location.pathname, values: values }));
      } catch (e) { /* storage full or off: nothing kept */ }
    }
  });

  function restore() {
    let kept = null;
    try {
      kept = JSON.parse(sessionStorage.getItem(KEPT) || "null");
      sessionStorage.removeItem(KEPT);
    } catch (e) { return; }
    if (!kept || kept.path !== location.pathname) return;
    const refusal = document.querySelector("#toasts .toast.text-bg-danger .toast-body");
    const form = document.getElementById(kept.id);
    if (!refusal || !form) return; // saved: the page shows what was stored
    Object.keys(kept.values).forEach(function (name) {
      const field = form.elements.namedItem(name);
      if (field && "value" in field) field.value = kept.values[name];
    });
    const note = document.createElement("div");
    note.className = "alert alert-danger py-1 px-2 small mt-2 mb-0 kept-form-error";
    note.setAttribute("role", "alert");
    note.textContent = refusal.textContent + " What you typed is still in the form.";
    form.appendChild(note);
    form.scrollIntoView({ block: "center" });
  }

  // A go-live preview that refuses its input (400) says why in its own place.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail.target;
    if (event.detail.xhr.status === 400 && target && target.classList.contains("golive-preview")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
  else restore();
})();
