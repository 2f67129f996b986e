// Draws every Plotly figure embedded as <script type="application/json" data-plot="ELEMENT_ID">
// (results: radar and gaps; history: trend; compare: compare-radar).
// No inline script: the Content-Security-Policy allows only scripts served by the app.
// No mode bar: its "Share chart" button (sendDataToCloud) and logo link to Plotly's cloud, and its buttons
// would sit in the Tab order; the page has its own download links for every chart.
// The charts follow their container: redrawn on resize and rotation (height and legend
// change when the width crosses the phone breakpoint).
(function () {
  "use strict";

  var CONFIG = {
    responsive: true,
    displayModeBar: false,
    displaylogo: false,
    showSendToCloud: false,
    modeBarButtonsToRemove: ["sendDataToCloud"],
    showTips: false,
    scrollZoom: false
  };
  var PHONE = "(max-width: 640px)";

  function narrow() {
    return !!(window.matchMedia && window.matchMedia(PHONE).matches);
  }

  function copy(value) { return JSON.parse(JSON.stringify(value)); }

  function merge(base, extra) { return Object.assign({}, base || {}, extra); }

  function smallTicks(layout) {
    var polar = layout.polar;
    if (!polar) { return; }
    if (polar.angularaxis) { polar.angularaxis.tickfont = merge(polar.angularaxis.tickfont, { size: 10 }); }
    if (polar.radialaxis) { polar.radialaxis.tickfont = merge(polar.radialaxis.tickfont, { size: 9 }); }
  }

  // The figures carry a fixed export size and title; on the page the width follows the
  // container and the figure's caption (or heading) is the title.
  function fit(id, source, el) {
    var layout = source.layout;
    var phone = narrow();
    var width = el.clientWidth || (phone ? 340 : 900);
    delete layout.width;
    layout.autosize = true;
    if (layout.title) { layout.title = { text: "" }; }
    layout.margin = merge(layout.margin, { t: 40 });
    if (id === "radar" || id === "compare-radar") {
      // The legend sits in its own band at the top, clear of the top spoke's label.
      layout.legend = { orientation: "h", x: 0.5, xanchor: "center", y: 1, yanchor: "top",
        xref: "container", yref: "container" };
      if (phone) {
        // As large a circle as the width allows, with room left and right for the area
        // names (wrapped by the figure) and none wasted above or below it.
        var side = 62;
        layout.margin = { t: 70, b: 40, l: side, r: side };
        layout.height = Math.max(width - 2 * side, 160) + 70 + 40 + 30;
        layout.font = merge(layout.font, { size: 11 });
        smallTicks(layout);
      } else {
        layout.height = id === "radar" ? 640 : 600;
        layout.margin = merge(layout.margin, { t: 90 });
      }
    } else if (id === "gaps") {
      if (phone) {
        layout.margin = merge(layout.margin, { l: 10, r: 70, t: 20 });
        layout.font = merge(layout.font, { size: 11 });
      }
    } else if (phone) {
      // The trend and anything else: legend below the plot, the plot keeps the width.
      layout.height = Math.min(layout.height || 520, 460) + 160;
      layout.font = merge(layout.font, { size: 10 });
      layout.legend = merge(layout.legend, { orientation: "h", x: 0, xanchor: "left", y: -0.15,
        yanchor: "top", xref: "paper", yref: "paper" });
      layout.margin = merge(layout.margin, { l: 40, r: 10, t: 20, b: 40 });
    }
    return layout;
  }

  var charts = [];

  function draw(chart, first) {
    var layout = fit(chart.el.id, { layout: copy(chart.figure.layout || {}) }, chart.el);
    var data = copy(chart.figure.data || []);
    if (first) { window.Plotly.newPlot(chart.el, data, layout, CONFIG); }
    else { window.Plotly.react(chart.el, data, layout, CONFIG); }
  }

  function start() {
    if (typeof window.Plotly === "undefined") { return; }
    var sources = document.querySelectorAll('script[type="application/json"][data-plot]');
    for (var i = 0; i < sources.length; i++) {
      var el = document.getElementById(sources[i].getAttribute("data-plot"));
      var figure;
      if (!el) { continue; }
      try { figure = JSON.parse(sources[i].textContent); } catch (err) { continue; }
      var chart = { el: el, figure: figure };
      charts.push(chart);
      draw(chart, true);
    }
    var phone = narrow();
    var pending = null;
    window.addEventListener("resize", function () {
      // Redraw when the layout changes its kind (desktop <-> phone) or the radar's size
      // follows the width; Plotly's own responsive resize keeps the width in between.
      if (pending) { window.clearTimeout(pending); }
      pending = window.setTimeout(function () {
        pending = null;
        var now = narrow();
        if (now === phone && !now) { return; }
        phone = now;
        charts.forEach(function (chart) { draw(chart, false); });
      }, 150);
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
