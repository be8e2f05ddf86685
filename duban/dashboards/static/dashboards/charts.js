// 统计图表: each <div data-chart data-source="ID"> becomes an ECharts chart (the vendored
// echarts/echarts.min.js) built from the JSON of <script type="application/json" id="ID"> — the same
// data as the table under it (duban/dashboards/charts.py). No inline script, no style attribute (CSP):
// heights are set through the CSSOM, tooltips are drawn on the canvas (richText), not as HTML.
"use strict";

(function () {
  var FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';
  var PALETTE = ["#a61b1b", "#4a78c2", "#3c9a5f", "#e6a23c", "#7e57c2", "#00897b", "#8d6e63", "#546e7a"];

  function narrow(el) {
    return el.clientWidth < 560;
  }

  function withUnit(unit) {
    return function (value) {
      return value === null || value === undefined ? "—" : value + (unit === "%" ? "%" : "");
    };
  }

  // How many lines the legend wraps to (ECharts' plain legend wraps; the plot starts below it).
  function legendLines(names, el) {
    var width = Math.max(200, el.clientWidth - 16);
    var size = narrow(el) ? 11 : 12;
    var line = 1;
    var used = 0;
    names.forEach(function (name) {
      var item = 25 + 10 + name.length * size;
      if (used && used + item > width) {
        line += 1;
        used = 0;
      }
      used += item;
    });
    return line;
  }

  function base(data, el) {
    var names = data.kind === "pie" ? data.categories : data.series.map(function (s) { return s.name; });
    var lines = legendLines(names, el);
    return {
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: FONT },
      tooltip: { renderMode: "richText", confine: true },
      legend: { type: "plain", top: 0, left: "center", itemGap: 10, textStyle: { fontSize: narrow(el) ? 11 : 12 } },
      grid: { left: 8, right: narrow(el) ? 40 : 56, top: 14 + lines * 22, bottom: 8, containLabel: true },
      legendHeight: lines * 22,
    };
  }

  function labelWidth(el) {
    return narrow(el) ? 96 : 170;
  }

  function pie(data, el) {
    var option = base(data, el);
    var series = data.series[0];
    var top = option.legendHeight;
    delete option.legendHeight;
    option.tooltip.trigger = "item";
    option.series = [
      {
        name: series.name,
        type: "pie",
        radius: narrow(el) ? ["28%", "52%"] : ["35%", "62%"],
        center: ["50%", Math.round(top + (narrow(el) ? 280 : 300) / 2) + 10],
        avoidLabelOverlap: true,
        // On a phone the legend names the slices; the labels carry the numbers only.
        label: { formatter: (narrow(el) ? "{c}" : "{b}\n{c}") + (data.unit || ""), fontSize: narrow(el) ? 12 : 13 },
        data: data.categories.map(function (name, i) {
          var item = { name: name, value: series.data[i] };
          if (data.colors && data.colors[i]) item.itemStyle = { color: data.colors[i] };
          return item;
        }),
      },
    ];
    return { option: option, height: top + (narrow(el) ? 290 : 320) };
  }

  function bars(data, el, horizontal) {
    var option = base(data, el);
    var top = option.legendHeight;
    delete option.legendHeight;
    option.tooltip.trigger = "axis";
    var categoryAxis = {
      type: "category",
      data: data.categories,
      axisLabel: { interval: 0, width: labelWidth(el), overflow: "truncate", fontSize: narrow(el) ? 11 : 12 },
    };
    var valueAxis = { type: "value", minInterval: data.unit === "%" ? 0 : 1, axisLabel: { formatter: withUnit(data.unit) } };
    if (data.unit === "%") valueAxis.max = function (extent) { return Math.max(100, Math.ceil(extent.max / 10) * 10); };
    if (horizontal) {
      categoryAxis.inverse = true;
      option.yAxis = categoryAxis;
      option.xAxis = valueAxis;
    } else {
      if (narrow(el) && data.categories.length > 3) categoryAxis.axisLabel.rotate = 30;
      categoryAxis.axisLabel.width = narrow(el) ? 70 : 120;
      option.xAxis = categoryAxis;
      option.yAxis = valueAxis;
    }
    option.series = data.series.map(function (series) {
      var item = {
        name: series.name,
        type: "bar",
        data: series.data,
        barMaxWidth: 28,
        label: { show: !data.stack, position: horizontal ? "right" : "top", fontSize: 11, formatter: function (p) { return withUnit(data.unit)(p.value); } },
      };
      if (data.stack) item.stack = "total";
      if (series.color) item.itemStyle = { color: series.color };
      return item;
    });
    var perCategory = horizontal ? (data.stack ? 26 : 16 * data.series.length + 10) : 0;
    var height = (horizontal ? data.categories.length * perCategory + 70 : 300) + top;
    return { option: option, height: Math.max(220, height) };
  }

  function line(data, el) {
    var option = base(data, el);
    var top = option.legendHeight;
    delete option.legendHeight;
    option.tooltip.trigger = "axis";
    option.xAxis = { type: "category", data: data.categories, boundaryGap: false };
    option.yAxis = { type: "value", inverse: !!data.inverse, min: 1, minInterval: 1 };
    option.series = data.series.map(function (series) {
      var item = { name: series.name, type: "line", data: series.data, symbolSize: 6, connectNulls: false };
      if (series.color) item.itemStyle = { color: series.color };
      return item;
    });
    return { option: option, height: top + (narrow(el) ? 280 : 320) };
  }

  function heatmap(data, el) {
    var option = base(data, el);
    delete option.legendHeight;
    var cells = [];
    var max = 1;
    data.series.forEach(function (series, y) {
      series.data.forEach(function (value, x) {
        cells.push([x, y, value]);
        if (value > max) max = value;
      });
    });
    option.legend = { show: false };
    option.tooltip.trigger = "item";
    option.grid.top = 8;
    option.grid.bottom = 56;
    option.xAxis = { type: "category", data: data.categories, splitArea: { show: true }, axisLabel: { interval: 0, fontSize: narrow(el) ? 10 : 12 } };
    // On a phone the months are numbers: 1 … 12 (the table says 1月 … 12月).
    if (narrow(el)) option.xAxis.axisLabel.formatter = function (value) { return value.replace("月", ""); };
    option.yAxis = {
      type: "category",
      inverse: true,
      data: data.series.map(function (series) { return series.name; }),
      splitArea: { show: true },
      axisLabel: { width: labelWidth(el), overflow: "truncate", fontSize: narrow(el) ? 11 : 12 },
    };
    option.visualMap = {
      min: 0,
      max: max,
      calculable: false,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      itemHeight: narrow(el) ? 120 : 180,
      text: ["多", "少"],
      inRange: { color: ["#fdf3f2", "#e08a80", "#a61b1b"] },
    };
    option.series = [{ name: "逾期任务", type: "heatmap", data: cells, label: { show: true } }];
    return { option: option, height: data.series.length * 34 + 110 };
  }

  var BUILDERS = {
    pie: pie,
    bar: function (data, el) { return bars(data, el, false); },
    hbar: function (data, el) { return bars(data, el, true); },
    line: line,
    heatmap: heatmap,
  };

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-source"));
    if (!source || typeof echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var built = BUILDERS[data.kind](data, el);
    el.style.height = built.height + "px";
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(built.option, true);
    el.setAttribute("data-rendered", "true");
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawAll();
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        document.querySelectorAll("[data-chart]").forEach(function (el) {
          var chart = echarts.getInstanceByDom(el);
          if (chart) {
            draw(el);
            chart.resize();
          }
        });
      }, 150);
    });
  });
})();
