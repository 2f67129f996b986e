// Results page: draw the Plotly figures embedded as JSON in <script type="application/json">.
// No inline script runs (the Content-Security-Policy forbids it); plotly.js is served by the app.
(function () {
  "use strict";

  var CHARTS = [
    { data: "radar-data", el: "radar" },
    { data: "gaps-data", el: "gaps" }
  ];

  function narrow() {
    return window.matchMedia && window.matchMedia("(max-width: 640px)").matches;
  }

  function fitLayout(id, layout, el) {
    // The figures carry a fixed export size and title; on the page the width follows the
    // container and the figure's caption is the title.
    delete layout.width;
    layout.autosize = true;
    if (layout.title) { layout.title = { text: "" }; }
    layout.margin = Object.assign({}, layout.margin || {}, { t: 40 });
    if (id === "radar") {
      // The legend sits in its own band at the top, clear of the top spoke's label.
      layout.legend = { orientation: "h", x: 0.5, xanchor: "center", y: 1, yanchor: "top",
        xref: "container", yref: "container" };
      layout.margin = Object.assign({}, layout.margin, { t: 90 });
      if (narrow()) {
        var width = el.clientWidth || 340;
        layout.height = Math.round(width * 0.8) + 130;
        layout.margin = { t: 95, b: 30, l: 72, r: 72 };
        if (layout.polar && layout.polar.angularaxis) {
          layout.polar.angularaxis.tickfont = Object.assign(
            {}, layout.polar.angularaxis.tickfont || {}, { size: 10 });
        }
        if (layout.polar && layout.polar.radialaxis) {
          layout.polar.radialaxis.tickfont = Object.assign(
            {}, layout.polar.radialaxis.tickfont || {}, { size: 9 });
        }
      } else {
        layout.height = 640;
      }
    }
    if (id === "gaps" && narrow()) {
      layout.margin = Object.assign({}, layout.margin, { l: 10, r: 70, t: 20 });
      layout.font = Object.assign({}, layout.font || {}, { size: 11 });
    }
    return layout;
  }

  function draw(chart) {
    var source = document.getElementById(chart.data);
    var el = document.getElementById(chart.el);
    if (!source || !el || typeof window.Plotly === "undefined") { return; }
    var figure;
    try {
      figure = JSON.parse(source.textContent);
    } catch (err) {
      return;
    }
    var layout = fitLayout(chart.el, figure.layout || {}, el);
    window.Plotly.newPlot(el, figure.data || [], layout, { responsive: true, displaylogo: false });
  }

  function drawAll() { CHARTS.forEach(draw); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
}());
