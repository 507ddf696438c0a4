// The consultation report's charts: each reads its figures from the table beside it (the
// cells' data-value), so a chart never shows a number the table does not.
(function () {
  "use strict";
  function chartFromTable(canvas) {
    var table = document.getElementById(canvas.dataset.voiceChart);
    if (!table || typeof Chart === "undefined") {
      return;
    }
    var labels = [];
    var values = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cells = row.querySelectorAll("th, td");
      labels.push(cells[0].textContent.trim());
      var value = cells[1] && cells[1].dataset.value;
      values.push(value === undefined ? null : Number(value));
    });
    var chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: labels,
        datasets: [
          { label: "Answers", data: values, backgroundColor: "#005eb8" },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
    canvas.closest("figure").dataset.drawn = "true";
    // Printed, the page is narrower: the chart is drawn again to fit it.
    window.addEventListener("beforeprint", function () {
      chart.resize();
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-voice-chart]").forEach(chartFromTable);
  });
})();
