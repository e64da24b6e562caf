/* report.js - draws the charts of a parley report with Chart.js from the
 * JSON that `parley report` embeds in the page (script#parley-data).  The
 * page needs no network: Chart.js is inlined next to this file. */
(function () {
	"use strict";
	var data = JSON.parse(document.getElementById("parley-data").textContent);
	var root = document.getElementById("report");
	var rendered = 0;
	Chart.defaults.animation = false;
	Chart.defaults.responsive = false;
	Chart.defaults.font.size = 12;

	function el(tag, attrs, text) {
		var e = document.createElement(tag);
		for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
		if (text !== undefined) e.textContent = text;
		return e;
	}
	function section(title, note) {
		var s = el("section");
		s.appendChild(el("h2", {}, title));
		if (note) s.appendChild(el("p", {"class": "note"}, note));
		root.appendChild(s);
		return s;
	}
	function chart(parent, id, title, config, width, height) {
		var box = el("figure", {"class": "chart"});
		var canvas = el("canvas", {id: id, width: width || 720, height: height || 320,
			"data-chart": id});
		box.appendChild(canvas);
		box.appendChild(el("figcaption", {}, title));
		parent.appendChild(box);
		config.options = config.options || {};
		config.options.plugins = config.options.plugins || {};
		config.options.plugins.title = {display: true, text: title};
		new Chart(canvas.getContext("2d"), config);
		canvas.setAttribute("data-rendered", "1");
		rendered++;
	}
	/* The colour of an engine, format, actor, issue or fixed series: parley
	 * assigns them (data.colours, src/report/report_colours.c) so that each keeps one
	 * colour in every chart and in `parley report --svg/--png`. */
	function colour(kind, key) {
		var c = data.colours && data.colours[kind];
		return c && c[key] ? c[key] : "#000000";
	}
	function issueName(id) {
		for (var i = 0; i < data.issues.length; i++)
			if (data.issues[i].id === id) return data.issues[i].name || id;
		return id;
	}
	function fmt(x, d) { return x === null || x === undefined ? "-" : x.toFixed(d); }
	function scaleOf(issue) { return {min: issue.min, max: issue.max}; }

	/* ---- forecasts per engine ---- */
	function forecasts() {
		var s = section("Forecasts per engine",
			"Where each issue lands according to each engine (all actors at the table).");
		var ds = data.forecasts.engines.map(function (e, k) {
			return {label: e, backgroundColor: colour("engine", e),
				data: data.forecasts.values.map(function (row) { return row[k]; })};
		});
		chart(s, "forecasts", "Forecast per issue and engine", {type: "bar",
			data: {labels: data.issues.map(function (i) { return i.id; }), datasets: ds},
			options: {scales: {y: {title: {display: true, text: "position on the issue's scale"}}}}});
		runsTable(s, data.forecasts.runs || []);
	}

	/* ---- provenance: what produced the numbers ---- */
	function roundsText(rounds) {
		if (!rounds.length) return "-";
		var lo = Math.min.apply(null, rounds), hi = Math.max.apply(null, rounds);
		return lo === hi ? String(lo) : lo + " to " + hi;
	}
	function paramsText(p) {
		return p ? p.split(",").join(", ") : "(none)";
	}
	function runsTable(parent, runs) {
		var table = el("table", {"class": "provenance", "data-provenance": "forecasts"});
		var head = el("tr");
		["engine", "parameters", "seed", "rounds played"].forEach(function (h) {
			head.appendChild(el("th", {}, h));
		});
		table.appendChild(head);
		runs.forEach(function (r) {
			var tr = el("tr");
			tr.appendChild(el("td", {}, r.engine));
			tr.appendChild(el("td", {"class": "params"}, paramsText(r.params)));
			tr.appendChild(el("td", {}, String(r.seed)));
			tr.appendChild(el("td", {}, r.dynamic ? roundsText(r.rounds) : "static"));
			table.appendChild(tr);
		});
		parent.appendChild(table);
		parent.appendChild(el("p", {"class": "note"}, "parley " + data.parley + ", case " +
			data["case"] + " (sha256 " + data.case_sha256 + "); each engine with its " +
			"parameters as run (defaults filled in) and the engine's own round limit."));
	}
	function runText(r) {
		return "Engine " + r.engine + ", parameters " + paramsText(r.params) + ", seed " +
			r.seed + (r.dynamic ? ", " + roundsText(r.rounds) + " rounds" : "") +
			"; parley " + data.parley + ".";
	}

	/* A legend of line samples: Chart.js's default is a box filled with the
	 * dataset's colour, which turns the dashed forecast into a black blob. */
	function lineLegend() {
		return {labels: {usePointStyle: true, pointStyle: "line", pointStyleWidth: 32,
			generateLabels: function (ch) {
				var base = Chart.defaults.plugins.legend.labels.generateLabels(ch);
				return base.map(function (item) {
					var d = ch.data.datasets[item.datasetIndex];
					item.strokeStyle = d.borderColor;
					item.lineDash = d.borderDash || [];
					item.lineWidth = d.borderWidth || 2;
					return item;
				});
			}}};
	}

	/* Why a trajectory has no rounds: the engine is static. */
	function staticNote(t) {
		var dyn = (t.dynamic_engines || []).join(", ");
		var why = t.chosen ? t.engine + " (chosen with --trajectory-engine) is a static " +
			"engine: it plays no rounds" : "None of this report's engines is dynamic, so " +
			"the first, " + t.engine + ", is shown: it plays no rounds";
		return why + ", so the positions shown are the starting positions and its " +
			"forecast." + (dyn ? " Dynamic engines built in: " + dyn +
			" (--trajectory-engine " + t.dynamic_engines[0] + ")." : "");
	}

	/* ---- trajectories ---- */
	function trajectories() {
		var t = data.trajectories;
		var s = section("Round-by-round trajectories (" + t.engine + ")",
			(t.dynamic ? "Each actor's position after each round, and the forecast (dashed). "
				: staticNote(t) + " ") + runText(t));
		t.issues.forEach(function (ti) {
			var rounds = [];
			for (var r = 0; r < ti.positions.length; r++) rounds.push(r);
			var ds = ti.actors.map(function (a, k) {
				return {label: a, borderColor: colour("actor", a),
					backgroundColor: colour("actor", a),
					pointRadius: ti.positions.length > 1 ? 0 : 4,
					data: ti.positions.map(function (row) { return row[k]; })};
			});
			ds.push({label: "forecast", borderColor: colour("series", "forecast"),
				backgroundColor: colour("series", "forecast"), borderWidth: 2.5,
				borderDash: [6, 4], pointRadius: ti.forecast.length > 1 ? 0 : 5,
				data: ti.forecast});
			var issue = data.issues.filter(function (i) { return i.id === ti.issue; })[0];
			chart(s, "trajectory-" + ti.issue, issueName(ti.issue), {type: "line",
				data: {labels: rounds, datasets: ds},
				options: {scales: {x: {title: {display: true, text: "round"}},
					y: scaleOf(issue)}, plugins: {legend: lineLegend()}}}, 560, 300);
		});
	}

	/* ---- forum comparison ---- */
	function compare() {
		var c = data.compare;
		var s = section("Forum formats (baseline " + c.baseline + ")",
			"Mean forecast over the engines under each format, and each actor's gain " +
			"in utility against the baseline, summed over issues (utility = " + c.utility + ").");
		var ds = c.forums.map(function (f) {
			return {label: f.id, backgroundColor: colour("format", f.id),
				data: f.issues.map(function (i) { return i.forecast; })};
		});
		chart(s, "compare-forecast", "Forecast per issue and format", {type: "bar",
			data: {labels: data.issues.map(function (i) { return i.id; }), datasets: ds}});
		var gains = c.forums.filter(function (f) { return f.id !== c.baseline; })
			.map(function (f) {
				return {label: f.id, backgroundColor: colour("format", f.id),
					data: data.actors.map(function (a) { return 100 * f.gain[a.id].total; })};
			});
		if (gains.length)
			chart(s, "compare-gain", "Gain against " + c.baseline + " (utility x 100)",
				{type: "bar", data: {labels: data.actors.map(function (a) { return a.id; }),
					datasets: gains}});
		else /* one format only: nothing to gain against */
			s.appendChild(el("p", {"class": "note"}, "The case has one format only (" +
				c.baseline + "): no gain against another to chart."));
		var fs = data.forum_sweeps.filter(function (f) { return f.issues; });
		chart(s, "compare-uncertainty", "Forecast per format under the case's uncertainty: " +
			"median and 90% interval (" + data.sweep.engine + ", " + data.sweep.samples +
			" samples)", {type: "bar",
			data: {labels: data.issues.map(function (i) { return i.id; }),
				datasets: fs.map(function (f) {
					return {label: f.forum, backgroundColor: colour("format", f.forum),
						data: f.issues.map(function (i) { return [i.p05, i.p95]; })};
				})},
			options: {scales: {y: {title: {display: true, text: "5% to 95% quantile"}}},
				plugins: {tooltip: {callbacks: {afterLabel: function (ctx) {
					var i = fs[ctx.datasetIndex].issues[ctx.dataIndex];
					return "median " + fmt(i.p50, 1) + ", mean " + fmt(i.mean, 1);
				}}}}}});
		var table = el("table");
		var head = el("tr");
		head.appendChild(el("th", {}, "format"));
		data.issues.forEach(function (i) { head.appendChild(el("th", {}, i.id)); });
		table.appendChild(head);
		c.forums.forEach(function (f) {
			var tr = el("tr");
			tr.appendChild(el("td", {}, f.id));
			f.issues.forEach(function (i) {
				tr.appendChild(el("td", {"class": i.stable ? "stable" : "unstable"},
					fmt(i.forecast, 1) + " (" + (i.change >= 0 ? "+" : "") +
					fmt(i.change, 1) + ")" + (i.stable ? "" : " *")));
			});
			table.appendChild(tr);
		});
		s.appendChild(table);
		s.appendChild(el("p", {"class": "note"},
			"* not stable: the engines disagree by more than 10 % of the scale or the " +
			"forecast still moves by more than 2 % in the last quarter of the rounds."));
		/* engines that cannot take a format: left out of the means, with the reason */
		c.forums.forEach(function (f) {
			f.runs.forEach(function (r) {
				if (r.not_run)
					s.appendChild(el("p", {"class": "note"}, "Note: " + r.engine +
						" did not run under " + f.id + ": " + r.not_run));
			});
		});
	}

	/* ---- sweep ---- */
	function sweep() {
		var w = data.sweep;
		var s = section("Monte Carlo sweep (" + w.engine + ", " + w.samples + " samples, seed " +
			w.seed + ")", "Distribution of the forecast under the case's uncertainty (" +
			w.uncertainty + ").  Quantiles from a 4096-bin histogram.");
		w.issues.forEach(function (wi) {
			var h = wi.histogram, n = h.counts.length, width = (h.hi - h.lo) / n;
			var labels = h.counts.map(function (_, b) { return fmt(h.lo + width * b, 0); });
			chart(s, "hist-" + wi.issue, issueName(wi.issue) + ": mean " + fmt(wi.mean, 1) +
				", 90% in [" + fmt(wi.quantiles.p05, 1) + ", " + fmt(wi.quantiles.p95, 1) + "]",
				{type: "bar", data: {labels: labels, datasets: [{label: "samples",
					backgroundColor: colour("series", "samples"), data: h.counts, barPercentage: 1,
					categoryPercentage: 1}]},
					options: {scales: {x: {title: {display: true, text: "forecast (bin start)"}}}}},
				480, 260);
		});
	}

	/* ---- tornado ---- */
	function tornado() {
		var w = data.sweep;
		if (!w.sensitivity) return;
		var s = section("What moves the outcome", "Sobol' indices: " + w.sensitivity +
			".  The ten inputs with the largest total index per issue.");
		var ai = data.actor_indices;
		chart(s, "tornado-actors", "Whose judgements matter: total index of all of an " +
			"actor's inputs together", {type: "bar",
			data: {labels: ai.map(function (a) { return a.factor.replace(/^actor /, ""); }),
				datasets: data.issues.map(function (iss, k) {
					return {label: iss.id, backgroundColor: colour("issue", iss.id),
						data: ai.map(function (a) { return a.total[k]; })};
				})},
			options: {indexAxis: "y", scales: {x: {min: 0, title: {display: true,
				text: "share of the forecast's variance"}}}}}, 640, 360);
		w.issues.forEach(function (wi) {
			var top = wi.sensitivity.slice().sort(function (a, b) { return b.total - a.total; })
				.slice(0, 10);
			chart(s, "tornado-" + wi.issue, issueName(wi.issue), {type: "bar",
				data: {labels: top.map(function (x) { return x.factor; }), datasets: [
					{label: "total ST", backgroundColor: colour("series", "total ST"),
						data: top.map(function (x) { return x.total; })},
					{label: "first-order S",
						backgroundColor: colour("series", "first-order S"),
						data: top.map(function (x) { return x.first; })}]},
				options: {indexAxis: "y", scales: {x: {min: 0, title: {display: true,
					text: "share of the forecast's variance"}}},
					plugins: {tooltip: {callbacks: {afterLabel: function (ctx) {
						var x = top[ctx.dataIndex];
						var ci = ctx.datasetIndex === 0 ? x.total_ci95 : x.first_ci95;
						return "95% interval [" + fmt(ci[0], 3) + ", " + fmt(ci[1], 3) + "]";
					}}}}}}, 640, 320);
		});
	}

	forecasts();
	trajectories();
	compare();
	sweep();
	tornado();
	document.body.setAttribute("data-charts", String(rendered));
})();
