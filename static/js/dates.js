// One date language on every page, whatever the browser's locale:
// - a date field shows and takes YYYY-MM-DD. Fields rendered as type="date" (which would show
//   the locale's 11/20/2026) become text fields with a pattern; every such field gets a
//   calendar button that opens the browser's own picker, whose value is always YYYY-MM-DD;
// - a date written on a page (2026-11-20, 2026-11-20 14:05) never breaks across lines.
// Runs on page load and on every piece of page htmx brings in.
(function () {
  "use strict";

  var PATTERN = "\\d{4}-\\d{2}-\\d{2}";
  var DAY = /^\d{4}-\d{2}-\d{2}$/;
  var WRITTEN = /\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?/g;
  var SKIP = { SCRIPT: 1, STYLE: 1, TEXTAREA: 1, OPTION: 1, TITLE: 1, svg: 1 };
  var SVG = "http://www.w3.org/2000/svg";

  function calendarIcon() {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 0a.5.5 0 0 1 .5.5V1h7V.5a.5.5 0 0 1 1 0V1H14a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H2a2 2 0 0 1-2-2V3a2 2 0 0 1 2-2h1.5V.5A.5.5 0 0 1 4 0zM1 5v9a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1V5H1zm2 2h2v2H3V7zm4 0h2v2H7V7zm4 0h2v2h-2V7zM3 11h2v2H3v-2zm4 0h2v2H7v-2z");
    svg.appendChild(path);
    return svg;
  }

  function dayField(input) {
    if (input.dataset.dayReady) return;
    input.dataset.dayReady = "1";
    if (input.type === "date") input.type = "text";
    input.setAttribute("pattern", PATTERN);
    input.setAttribute("inputmode", "numeric");
    input.setAttribute("maxlength", "10");
    input.setAttribute("autocomplete", "off");
    if (!input.placeholder) input.placeholder = "YYYY-MM-DD";
    if (!input.title) input.title = "A day written YYYY-MM-DD";

    var wrap = document.createElement("span");
    wrap.className = "day-field" + (input.classList.contains("form-control") ? " day-field-block" : "");
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);

    var picker = document.createElement("input");
    picker.type = "date";
    picker.className = "day-picker";
    picker.tabIndex = -1;
    picker.setAttribute("aria-hidden", "true");
    if (input.getAttribute("min")) picker.min = input.getAttribute("min");
    if (input.getAttribute("max")) picker.max = input.getAttribute("max");

    var button = document.createElement("button");
    button.type = "button";
    button.className = "day-button";
    button.title = "Choose the day on a calendar";
    button.setAttribute("aria-label", "Choose the day on a calendar");
    button.appendChild(calendarIcon());
    button.disabled = input.disabled || input.readOnly;
    button.addEventListener("click", function () {
      picker.value = DAY.test(input.value) ? input.value : "";
      try {
        picker.showPicker();
      } catch (err) {
        picker.focus();
      }
    });
    picker.addEventListener("change", function () {
      if (!picker.value) return;
      input.value = picker.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
      input.focus();
    });
    wrap.appendChild(button);
    wrap.appendChild(picker);
  }

  function keepDatesWhole(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentNode;
        if (!parent || SKIP[parent.nodeName] || parent.closest(".text-nowrap, svg")) return NodeFilter.FILTER_REJECT;
        WRITTEN.lastIndex = 0;
        return WRITTEN.test(node.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    nodes.forEach(function (node) {
      var text = node.data, last = 0, bits = document.createDocumentFragment(), match;
      WRITTEN.lastIndex = 0;
      while ((match = WRITTEN.exec(text))) {
        if (match.index > last) bits.appendChild(document.createTextNode(text.slice(last, match.index)));
        var span = document.createElement("span");
        span.className = "text-nowrap";
        span.textContent = match[0];
        bits.appendChild(span);
        last = match.index + match[0].length;
      }
      if (last < text.length) bits.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(bits, node);
    });
  }

  function apply(root) {
    if (!root || !root.querySelectorAll) return;
    var fields = Array.prototype.slice.call(root.querySelectorAll("input[type=date]:not(.day-picker), input[data-day-input]"));
    if (root.matches && root.matches("input[type=date]:not(.day-picker), input[data-day-input]")) fields.push(root);
    fields.forEach(dayField);
    keepDatesWhole(root.nodeType === 1 && root.matches("body") ? document.body : root);
  }

  document.addEventListener("DOMContentLoaded", function () { apply(document.body); });
  document.addEventListener("htmx:load", function (event) { apply(event.detail.elt); });
})();
