// Typeahead pickers (ARIA combobox): htmx fetches the options as you type; this file
// lets the keyboard and the mouse choose one. ↑/↓ move, Enter picks, Escape closes
// (and clears on a second press). A pick fills the hidden input and fires
// "picker:change", which the pages listen to (e.g. to refresh a preview).
(function () {
  "use strict";

  function parts(root) {
    return {
      root: root,
      input: root.querySelector("[role=combobox]"),
      listbox: root.querySelector("[role=listbox]"),
      value: root.querySelector("input[type=hidden]"),
    };
  }

  function pickerOf(element) {
    const root = element && element.closest ? element.closest("[data-picker]") : null;
    return root ? parts(root) : null;
  }

  function options(p) {
    return Array.from(p.listbox.querySelectorAll("[role=option]"));
  }

  function open(p) {
    if (!p.listbox.children.length) {
      close(p);
      return;
    }
    p.listbox.hidden = false;
    p.input.setAttribute("aria-expanded", "true");
  }

  function close(p) {
    p.listbox.hidden = true;
    p.input.setAttribute("aria-expanded", "false");
    p.input.removeAttribute("aria-activedescendant");
  }

  function activeIndex(p) {
    return options(p).findIndex(function (o) { return o.getAttribute("aria-selected") === "true"; });
  }

  function activate(p, index) {
    const all = options(p);
    if (!all.length) return;
    index = (index + all.length) % all.length;
    all.forEach(function (o, i) {
      o.classList.toggle("active", i === index);
      o.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    p.input.setAttribute("aria-activedescendant", all[index].id);
    all[index].scrollIntoView({ block: "nearest" });
  }

  function changed(p) {
    p.value.dispatchEvent(new CustomEvent("picker:change", { bubbles: true, detail: { value: p.value.value } }));
  }

  function choose(p, option) {
    p.value.value = option.dataset.value;
    p.input.value = option.dataset.label;
    p.input.dataset.chosen = option.dataset.label;
    close(p);
    changed(p);
  }

  function clear(p) {
    delete p.input.dataset.chosen;
    if (p.value.value) {
      p.value.value = "";
      changed(p);
    }
  }

  document.addEventListener("keydown", function (event) {
    const p = pickerOf(event.target);
    if (!p || event.target !== p.input) return;
    const isOpen = !p.listbox.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      open(p);
      activate(p, activeIndex(p) + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      if (isOpen) {
        event.preventDefault();
        const all = options(p);
        const pick = all[activeIndex(p)] || (all.length === 1 ? all[0] : null);
        if (pick) choose(p, pick);
      } else if (!p.value.value) {
        event.preventDefault(); // nothing picked yet: Enter must not send the form
      }
    } else if (event.key === "Escape") {
      if (isOpen) {
        event.preventDefault();
        close(p);
      } else if (p.input.value) {
        event.preventDefault();
        p.input.value = "";
        clear(p);
      }
    }
  });

  document.addEventListener("input", function (event) {
    const p = pickerOf(event.target);
    if (p && event.target === p.input && p.input.value !== p.input.dataset.chosen) clear(p);
  });

  // mousedown, not click: the input keeps the focus, so the list is still there to be clicked.
  document.addEventListener("mousedown", function (event) {
    const option = event.target.closest ? event.target.closest("[data-picker] [role=option]") : null;
    if (!option) return;
    event.preventDefault();
    choose(pickerOf(option), option);
  });

  document.addEventListener("focusin", function (event) {
    const p = pickerOf(event.target);
    if (p && event.target === p.input && !p.value.value && options(p).length) open(p);
  });

  document.addEventListener("focusout", function (event) {
    const p = pickerOf(event.target);
    if (p && event.target === p.input) close(p);
  });

  // New options arrived: show them, nothing highlighted until the arrows are used.
  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target;
    if (!target || target.getAttribute("role") !== "listbox") return;
    const p = pickerOf(target);
    if (p && document.activeElement === p.input) open(p);
  });
})();
