/* Roll-up charts: ECharts reads the figures from the json_script element (no inline JS); clicking a
   region's bar opens that region's dashboard (drill down). */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("rollup-data");
    if (!source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var charts = [];

    function make(id, option) {
      var el = document.getElementById(id);
      if (!el) return null;
      el.style.height = "320px"; // CSSOM, allowed by the CSP (no style attribute in the markup)
      el.style.width = "100%";
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option);
      charts.push(chart);
      return chart;
    }

    var rows = make("chart-rows", {
      title: { text: "建议：收到、办结与超期", left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 40, bottom: 70 },
      xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: data.names.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: ["received", "closed", "overdue"].map(function (key) {
        return { name: data.labels[key], type: "bar", data: data.series[key] };
      })
    });
    if (rows) {
      rows.on("click", function (event) {
        var code = data.codes[event.dataIndex];
        if (code) window.location.href = data.base + encodeURIComponent(code) + "/" + window.location.search;
      });
    }
    make("chart-deputies", {
      title: { text: "在任代表（按层级）", left: "center", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "item", renderMode: "richText" },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "60%"], data: data.deputies }]
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
