/* Suggestion statistics charts: ECharts reads the figures from the json_script element (no inline JS). */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("stats-data");
    if (!source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];

    function make(id, option) {
      var el = document.getElementById(id);
      if (!el) return;
      el.style.height = "320px"; // CSSOM, allowed by the CSP (no style attribute in the markup)
      el.style.width = "100%";
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      charts.push(chart);
    }

    // Tooltips render on the canvas (richText), not as HTML with inline styles the CSP would refuse.
    var tooltip = { trigger: "item", renderMode: "richText" };

    make("chart-groups", {
      title: { text: "交办、办结与超期", left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 70 },
      xAxis: { type: "category", data: data.groups, axisLabel: { interval: 0, rotate: data.groups.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: ["handed_over", "closed", "overdue"].map(function (key) {
        return { name: data.series_labels[key], type: "bar", data: data.series[key] };
      })
    });
    make("chart-categories", {
      title: { text: "答复类别", left: "center", textStyle: { fontSize: 14 } },
      tooltip: tooltip,
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "60%"], data: data.categories }]
    });
    make("chart-satisfaction", {
      title: { text: "代表评价", left: "center", textStyle: { fontSize: 14 } },
      tooltip: tooltip,
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "60%"], data: data.satisfaction }]
    });

    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
