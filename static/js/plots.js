// Draws every Plotly figure embedded as <script type="application/json" data-plot="ELEMENT_ID">.
// No inline script: the Content-Security-Policy allows only scripts served by the app.
(function () {
  "use strict";
  function draw(source) {
    var el = document.getElementById(source.getAttribute("data-plot"));
    if (!el || typeof window.Plotly === "undefined") { return; }
    var figure;
    try { figure = JSON.parse(source.textContent); } catch (err) { return; }
    var layout = figure.layout || {};
    delete layout.width;
    layout.autosize = true;
    if (window.matchMedia && window.matchMedia("(max-width: 640px)").matches) {
      layout.height = Math.min(layout.height || 520, 520);
      layout.font = Object.assign({}, layout.font || {}, { size: 10 });
    }
    window.Plotly.newPlot(el, figure.data || [], layout, { responsive: true, displaylogo: false });
  }
  function start() {
    var sources = document.querySelectorAll('script[type="application/json"][data-plot]');
    for (var i = 0; i < sources.length; i++) { draw(sources[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
