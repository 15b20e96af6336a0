/* Draws the leadership dashboard's charts from the JSON the page embeds (#dashboard-data).
   Clicking a bar opens the rows behind it (each data point carries its link). */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof Chart === "undefined") return;
  var data = JSON.parse(node.textContent);
  var palette = ["#1b5e20", "#1565c0", "#f9a825", "#b71c1c", "#6a1b9a", "#455a64"];

  function draw(id, chart, options) {
    var canvas = document.getElementById(id);
    if (!canvas || !chart || !chart.labels.length) return;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.series.map(function (series, index) {
          return { label: series.label, data: series.data, links: series.links, backgroundColor: palette[index % palette.length] };
        })
      },
      options: Object.assign({
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        onClick: function (event, elements, instance) {
          if (!elements.length) return;
          var element = elements[0];
          var link = instance.data.datasets[element.datasetIndex].links[element.index];
          if (link) window.location.href = link;
        },
        onHover: function (event, elements) {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        plugins: { legend: { position: "bottom" } }
      }, options || {})
    });
  }

  var stacked = { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } };
  draw("chart-quality", data.quality, stacked);
  draw("chart-types", data.types, stacked);
  draw("chart-targets", data.targets, { indexAxis: "y", scales: { x: { beginAtZero: true } } });
  // The home page's briefing: this year's meetings by level beside last year's.
  draw("chart-compare", data.compare, { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } });
})();
