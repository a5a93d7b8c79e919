// Trend charts of the group and item pages, drawn from the JSON the page body carries
// (#chart-data); redrawn after every htmx swap of the body.
(function () {
  var COLOURS = { original: "#d9822b", replacement: "#1b8a6b", item: "#0b4f6c" };
  var MONEY = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", maximumFractionDigits: 0 });

  // A category label (a group's title) takes at most a third of the chart's width, cut with an
  // ellipsis; the tooltip shows the whole of it. Chart.js would otherwise clip it at the canvas edge.
  var CHAR_PX = 6.5;
  function shortLabel(value) {
    var label = String(this.getLabelForValue(value));
    var room = Math.max(10, Math.floor(this.chart.width / 3 / CHAR_PX));
    return label.length > room ? label.slice(0, room - 1).trimEnd() + "\u2026" : label;
  }

  function title(text) {
    return text ? { display: true, text: text, font: { size: 11 } } : { display: false };
  }

  function options(name, spec) {
    var money = name === "po_weekly" || spec.unit === "money";
    var pct = spec.unit === "pct";
    return {
      indexAxis: spec.horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { display: spec.legend !== false, position: "bottom", labels: { boxWidth: 12 } },
        tooltip: money ? { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + MONEY.format(ctx.parsed.y); } } }
          : pct ? {
            callbacks: {
              label: function (ctx) { return ctx.dataset.label + ": " + ctx.parsed.y + "%"; },
              // The purchases behind the point.
              footer: function (items) { return spec.purchases && items.length ? spec.purchases[items[0].dataIndex] : ""; }
            }
          } : {}
      },
      // Days without a snapshot or burn row have no value: the line spans them. A chart with `gaps`
      // (weeks without purchases have no compliance) leaves them open.
      spanGaps: !spec.gaps,
      scales: {
        x: spec.horizontal
          ? { beginAtZero: true, stacked: !!spec.stacked, ticks: { precision: 0 }, title: title(spec.x_title) }
          : { type: "category", stacked: !!spec.stacked, ticks: { maxTicksLimit: 8, autoSkip: true }, title: title(spec.x_title) },
        y: spec.horizontal
          ? { type: "category", stacked: !!spec.stacked, ticks: { autoSkip: false, callback: shortLabel }, title: title(spec.y_title) }
          : {
            title: title(spec.y_title),
            beginAtZero: true,
            stacked: !!spec.stacked,
            max: pct ? 100 : undefined,
            ticks: money ? { callback: function (v) { return MONEY.format(v); } }
              : pct ? { callback: function (v) { return v + "%"; } } : { precision: spec.counts ? 0 : undefined }
          }
      }
    };
  }

  function draw(root) {
    var holder = (root || document).querySelector("#chart-data") || document.getElementById("chart-data");
    if (!holder || typeof Chart === "undefined") return;
    var data = JSON.parse(holder.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = data[canvas.dataset.chart];
      var existing = Chart.getChart(canvas);
      if (existing) existing.destroy();
      if (!spec) return;
      new Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (ds) {
            var colour = ds.colour || COLOURS[ds.role] || COLOURS.item;
            if (ds.colours) {
              return { label: ds.label, data: ds.data, backgroundColor: ds.colours, borderWidth: 0 };
            }
            return {
              label: ds.label,
              data: ds.data,
              borderColor: colour,
              backgroundColor: spec.type === "bar" ? colour : colour + "33",
              pointRadius: spec.gaps ? 3 : 0,
              borderWidth: 2,
              tension: spec.unit === "pct" ? 0 : 0.2,
              fill: false
            };
          })
        },
        options: options(canvas.dataset.chart, spec)
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.body.addEventListener("htmx:afterSwap", function (event) { draw(event.detail.target); });
})();
