/* storyline: the story timeline chart (plotly.js, served locally) and small enhancements.
   Data comes from a <script type="application/json"> block; nothing here builds HTML. */
(function () {
  "use strict";

  // plotly renders hover text with a small HTML subset: pass corpus text as entities
  function plain(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function readData(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function fallback(el, message) {
    var p = document.createElement("p");
    p.className = "chart-fallback";
    p.textContent = message;
    el.replaceChildren(p);
    el.style.minHeight = "0";
  }

  function markTrace(list, name, row, symbol, color, hover) {
    return {
      type: "scatter", mode: "markers", name: name, yaxis: "y2",
      x: list.map(function (m) { return m.x; }),
      y: list.map(function () { return row; }),
      text: list.map(hover),
      customdata: list.map(function (m) { return m.anchor; }),
      marker: {
        color: color, symbol: symbol, line: { color: "#ffffff", width: 1.5 },
        size: list.map(function (m) { return Math.min(22, 9 + 2 * Math.sqrt(m.n || 1)); })
      },
      hovertemplate: "%{text}<extra></extra>"
    };
  }

  // The geometry (range, ticks, bar widths, count steps) comes from the server
  // (storyline.web.chart): this only hands it to plotly.
  function drawTimeline() {
    var el = document.getElementById("timeline-chart");
    var data = readData("chart-data");
    if (!el || !data) { return; }
    if (data.empty) {
      fallback(el, "No dated articles in this story: nothing to draw on a time axis.");
      return;
    }
    if (!window.Plotly) {
      fallback(el, "The interactive chart needs plotly.js; the dated entries are listed below.");
      return;
    }
    var narrow = el.clientWidth < 520;
    var bars = {
      type: "bar", name: "articles", x: data.x, y: data.y, width: data.width, yaxis: "y",
      text: data.hover, textposition: "none", marker: { color: "#9fbde3" },
      hovertemplate: "%{text}<extra></extra>"
    };
    var ticks = narrow ? data.ticks_narrow : data.ticks;
    var xaxis = Object.assign({ type: "date", range: data.range, gridcolor: "#eef0f3",
                                linecolor: "#d5d9df", automargin: true, tickangle: 0,
                                fixedrange: false }, ticks);
    var entries = markTrace(data.marks, "dated entry", 1.45, "circle", "#1d5fa6", function (m) {
      return plain(m.when) + "<br>" + plain(m.label);
    });
    var announced = markTrace(data.announced, "announced date", 0.55, "diamond", "#c2571a",
      function (m) {
        return "announced for " + plain(m.when) + "<br>" + plain(m.label) +
          (m.outlet ? "<br>" + plain(m.outlet) : "");
      });
    var layout = {
      margin: { l: 36, r: 12, t: 8, b: 36 }, height: 270, showlegend: false, bargap: 0.15,
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size: 12, color: "#3a4354" },
      xaxis: xaxis,
      yaxis: { domain: [0, 0.74], range: [0, data.ymax * 1.12], dtick: data.ystep,
               tickformat: "d", gridcolor: "#eef0f3", fixedrange: true,
               title: { text: "articles", font: { size: 11 } } },
      yaxis2: { domain: [0.78, 1], range: [0, 2], visible: false, fixedrange: true },
      hoverlabel: { bgcolor: "#1c2230", font: { color: "#ffffff" }, align: "left" }
    };
    var config = {
      displaylogo: false, responsive: true, scrollZoom: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"]
    };
    window.Plotly.newPlot(el, [bars, entries, announced], layout, config).then(function () {
      el.on("plotly_click", function (ev) {
        var pt = ev && ev.points && ev.points[0];
        if (pt && pt.customdata) {
          var target = document.getElementById(pt.customdata);
          if (target) { location.hash = pt.customdata; target.focus({ preventScroll: true }); }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", drawTimeline);
})();
