// The dashboard's charts: each reads its figures from the table beside it (the cells'
// data-value), so a chart never shows a number the table does not (suppressed: a gap).
(function () {
  "use strict";
  function chartFromTable(canvas) {
    var table = document.getElementById(canvas.dataset.kpiChart);
    var column = Number(canvas.dataset.kpiColumn);
    if (!table || typeof Chart === "undefined") {
      return;
    }
    var labels = [];
    var values = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cells = row.querySelectorAll("th, td");
      labels.push(cells[0].textContent.trim());
      var value = cells[column] && cells[column].dataset.value;
      values.push(value === undefined ? null : Number(value));
    });
    var heading = table.querySelectorAll("thead th")[column];
    new Chart(canvas, {
      type: "line",
      data: {
        labels: labels,
        datasets: [
          {
            label: heading ? heading.textContent.trim() : "",
            data: values,
            borderColor: "#005eb8",
            backgroundColor: "#005eb8",
            spanGaps: false,
          },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-kpi-chart]").forEach(chartFromTable);
  });
})();
