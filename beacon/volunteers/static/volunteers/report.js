// The outreach report's charts: each reads its figures from the table under it (the cells'
// data-value), so a chart never shows a number the table does not. Loaded from Beacon's own
// static files, as the page's Content-Security-Policy allows (no inline script).
(function () {
  "use strict";
  var COLOURS = ["#005eb8", "#007f3b", "#330072", "#ed8b00"];

  function valueOf(row, column) {
    var cell = row.querySelectorAll("th, td")[column];
    return cell && cell.dataset.value !== undefined ? Number(cell.dataset.value) : null;
  }

  function chartFromTable(canvas) {
    var table = document.getElementById(canvas.dataset.outreachChart);
    if (!table || typeof Chart === "undefined") {
      return;
    }
    var headings = table.querySelectorAll("thead th");
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var labels = rows.map(function (row) {
      return row.querySelector("th, td").textContent.trim();
    });
    var datasets = canvas.dataset.outreachColumns.split(",").map(function (text, n) {
      var column = Number(text);
      return {
        label: headings[column] ? headings[column].textContent.trim() : "",
        data: rows.map(function (row) {
          return valueOf(row, column);
        }),
        backgroundColor: COLOURS[n % COLOURS.length],
      };
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-outreach-chart]").forEach(chartFromTable);
  });
})();
