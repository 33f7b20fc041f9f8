// Draws the dashboard's two charts with Chart.js (served by the project, no CDN). Cells the tables hide (small counts)
// come as null and are not drawn.
const source = document.querySelector('meta[name="chart-data"]').getAttribute("content");
const data = await (await fetch(source, { headers: { accept: "application/json" } })).json();
const colours = ["#b5179e", "#0b6e4f", "#f0a500", "#8d99ae"];
const common = { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { position: "bottom" } } };

new window.Chart(document.getElementById("chart-category"), {
  type: "bar",
  data: { labels: data.category.labels, datasets: data.category.series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: colours[i % colours.length] })) },
  options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
});

new window.Chart(document.getElementById("chart-month"), {
  type: "line",
  data: { labels: data.month.labels, datasets: data.month.series.map((s, i) => ({ label: s.label, data: s.data, borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length], spanGaps: false })) },
  options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
});
document.documentElement.dataset.chartsReady = "1";
