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

  function drawTimeline() {
    var el = document.getElementById("timeline-chart");
    var data = readData("chart-data");
    if (!el || !data) { return; }
    if (!data.x.length && !data.marks.length) {
      fallback(el, "No dated articles in this story yet.");
      return;
    }
    if (!window.Plotly) {
      fallback(el, "The interactive chart needs plotly.js; the dated entries are listed below.");
      return;
    }
    var monthly = data.unit === "month";
    var bars = {
      type: "bar", name: "articles", x: data.x, y: data.y, yaxis: "y",
      marker: { color: "#9fbde3" },
      hovertemplate: "%{x|" + (monthly ? "%b %Y" : "%d %b %Y") + "}: %{y} articles<extra></extra>"
    };
    if (monthly) { bars.xperiod = "M1"; bars.xperiodalignment = "middle"; }
    var narrow = el.clientWidth < 520;
    var xaxis = { type: "date", gridcolor: "#eef0f3", linecolor: "#d5d9df", automargin: true,
                  tickangle: 0, nticks: narrow ? 5 : 10 };
    if (monthly && data.x.length <= (narrow ? 6 : 24)) { xaxis.dtick = "M1"; }
    if (monthly) { xaxis.tickformat = narrow ? "%b %y" : "%b %Y"; xaxis.ticklabelmode = "period"; }
    var marks = {
      type: "scatter", mode: "markers", name: "timeline", yaxis: "y2",
      x: data.marks.map(function (m) { return m.x; }),
      y: data.marks.map(function () { return 1; }),
      text: data.marks.map(function (m) { return plain(m.when) + "<br>" + plain(m.label); }),
      customdata: data.marks.map(function (m) { return m.anchor; }),
      marker: {
        color: "#1d5fa6", line: { color: "#ffffff", width: 1.5 },
        size: data.marks.map(function (m) { return Math.min(22, 9 + 2 * Math.sqrt(m.n)); })
      },
      hovertemplate: "%{text}<extra></extra>"
    };
    var layout = {
      margin: { l: 36, r: 12, t: 8, b: 36 }, height: 260, showlegend: false, bargap: 0.15,
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
      font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size: 12, color: "#3a4354" },
      xaxis: xaxis,
      yaxis: { domain: [0, 0.78], rangemode: "tozero", gridcolor: "#eef0f3", title: { text: "articles", font: { size: 11 } } },
      yaxis2: { domain: [0.84, 1], range: [0, 2], visible: false, fixedrange: true },
      hoverlabel: { bgcolor: "#1c2230", font: { color: "#ffffff" }, align: "left" }
    };
    var config = {
      displaylogo: false, responsive: true, scrollZoom: false,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"]
    };
    window.Plotly.newPlot(el, [bars, marks], layout, config).then(function () {
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
