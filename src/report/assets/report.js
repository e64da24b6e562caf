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
	/* Charts fill the page's width; the small multiples (one per issue)
	 * take half of it each. */
	function fullWidth() { return Math.max(640, Math.floor(root.clientWidth) - 8); }
	function halfWidth() { return Math.floor((fullWidth() - 40) / 2); }
	function chart(parent, id, title, config, width, height) {
		var w = width || fullWidth();
		var box = el("figure", {"class": w >= fullWidth() ? "chart full" : "chart"});
		var canvas = el("canvas", {id: id, width: w,
			height: height || Math.max(300, Math.round(w * 0.3)), "data-chart": id});
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
	function signed(x, d) { return (x > 0 ? "+" : "") + fmt(x, d); }
	/* Issues grouped by scale: a chart has one axis, so issues on 0-20 and
	 * on 0-100 are drawn in charts of their own. */
	function scaleGroups() {
		var groups = [], byKey = {};
		data.issues.forEach(function (iss, k) {
			var key = iss.min + "-" + iss.max;
			if (!(key in byKey)) {
				byKey[key] = groups.length;
				groups.push({min: iss.min, max: iss.max, label: key, index: []});
			}
			groups[byKey[key]].index.push(k);
		});
		return groups;
	}
	function groupId(base, groups, g) { return groups.length > 1 ? base + "-" + g : base; }
	function groupTitle(title, groups, g) {
		return groups.length > 1 ? title + " (issues on " + groups[g].label + ")" : title;
	}
	function axis(group, text) {
		return {min: group.min, max: group.max, title: {display: true, text: text + " (" +
			group.label + ")"}};
	}
	/* The case's anchor nearest x on an issue: what the number means. */
	function nearestAnchor(issue, x) {
		var best = null;
		(issue.anchors || []).forEach(function (a) {
			if (!best || Math.abs(a.value - x) < Math.abs(best.value - x)) best = a;
		});
		return best;
	}

	/* ---- the bottom line ---- */
	function summary() {
		var w = data.sweep, c = data.compare;
		var s = section("In brief",
			"The forecast below is " + w.engine + "'s (the engine of the Monte Carlo " +
			"sweep, --sweep-engine), with all actors at the table; \"how sure\" is the " +
			"range that holds 90% of its forecasts when the case's inputs vary as the " +
			"case declares (" + w.samples + " samples). A position is a point of the " +
			"issue's own scale; \"means\" is the case's description of the point " +
			"nearest to it. The other engines' forecasts span the last column.");
		var table = el("table", {"class": "summary", "data-summary": "issues"});
		var head = el("tr");
		["issue", "forecast (" + w.engine + ")", "means", "how sure: 90% between",
			"all engines"].forEach(function (h) { head.appendChild(el("th", {}, h)); });
		table.appendChild(head);
		data.issues.forEach(function (iss, k) {
			var wi = w.issues.filter(function (x) { return x.issue === iss.id; })[0];
			var row = data.forecasts.values[k].filter(function (v) {
				return v !== null && v !== undefined; });
			var tr = el("tr");
			tr.appendChild(el("td", {}, iss.name));
			tr.appendChild(el("td", {}, wi ? fmt(wi.nominal, 1) + " of " + iss.min + "-" +
				iss.max : "-"));
			var a = wi ? nearestAnchor(iss, wi.nominal) : null;
			tr.appendChild(el("td", {"class": "text"}, a ? a.label + " (" + a.value + ")" : "-"));
			tr.appendChild(el("td", {}, wi ? fmt(wi.quantiles.p05, 1) + " and " +
				fmt(wi.quantiles.p95, 1) : "-"));
			tr.appendChild(el("td", {}, row.length ? fmt(Math.min.apply(null, row), 1) +
				" to " + fmt(Math.max.apply(null, row), 1) : "-"));
			table.appendChild(tr);
		});
		s.appendChild(table);
		var others = c.forums.filter(function (f) { return f.id !== c.baseline; });
		if (!others.length) return;
		var ul = el("ul", {"class": "formats"});
		others.forEach(function (f) {
			var best = null, worst = null;
			data.actors.forEach(function (a) {
				var g = f.gain[a.id].total;
				if (best === null || g > f.gain[best].total) best = a.id;
				if (worst === null || g < f.gain[worst].total) worst = a.id;
			});
			var spread = f.gain[best].total - f.gain[worst].total;
			ul.appendChild(el("li", {}, f.id + (f.name ? " (" + f.name + ")" : "") + ": " +
				(spread > 1e-12 ? best + " gains most (" + signed(100 * f.gain[best].total, 0) +
				"), " + worst + " loses most (" + signed(100 * f.gain[worst].total, 0) + ")"
				: "no actor gains or loses") + " against " + c.baseline + "."));
		});
		s.appendChild(el("p", {}, "Which format helps whom (gain in utility x 100 against " +
			c.baseline + ", see Forum formats):"));
		s.appendChild(ul);
	}

	/* ---- forecasts per engine ---- */
	function forecasts() {
		var s = section("Forecasts per engine",
			"Where each issue lands according to each engine (" +
			data.forecasts.engines.join(", ") + "), all actors at the table. A bar is a " +
			"position on the issue's scale; issues on different scales are drawn apart.");
		var groups = scaleGroups();
		groups.forEach(function (g, gi) {
			var ds = data.forecasts.engines.map(function (e, k) {
				return {label: e, backgroundColor: colour("engine", e),
					data: g.index.map(function (i) { return data.forecasts.values[i][k]; })};
			});
			chart(s, groupId("forecasts", groups, gi),
				groupTitle("Forecast per issue and engine", groups, gi), {type: "bar",
				data: {labels: g.index.map(function (i) { return data.issues[i].id; }),
					datasets: ds},
				options: {scales: {y: axis(g, "position on the issue's scale")}}});
		});
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
					y: scaleOf(issue)}, plugins: {legend: lineLegend()}}}, halfWidth(), 320);
		});
		if (t.exchanges && t.exchanges.length) trades(s, t.exchanges, t.issues[0].rounds);
	}

	/* The exchange engine's trades, round by round in the order made: who
	 * gave ground on which issue, from where to where, in return for whose
	 * move on which issue, and each one's gain. */
	function trades(s, xs, rounds) {
		var box = el("details", {"class": "trades"});
		box.appendChild(el("summary", {}, "The " + xs.length + " trades of the " + rounds +
			" rounds, in the order made (what moves the forecasts above)"));
		var table = el("table", {"data-trades": "exchange"});
		var head = el("tr");
		["round", "#", "gives ground", "on", "from → to", "in return", "on", "from → to",
			"gain of each"].forEach(function (h) { head.appendChild(el("th", {}, h)); });
		table.appendChild(head);
		var n = 0;
		xs.forEach(function (x, k) {
			n = k && xs[k - 1].round === x.round ? n + 1 : 1;
			var a = x.actors[0], b = x.actors[1];
			var tr = el("tr");
			[String(x.round), String(n), a.actor, issueName(a.gives_on),
				fmt(a.from, 1) + " → " + fmt(a.to, 1), b.actor, issueName(b.gives_on),
				fmt(b.from, 1) + " → " + fmt(b.to, 1),
				a.gain === b.gain ? fmt(a.gain, 3) : fmt(a.gain, 3) + " / " + fmt(b.gain, 3)
			].forEach(function (v, c) {
				tr.appendChild(el("td", c === 3 || c === 6 ? {"class": "text"} : {}, v));
			});
			table.appendChild(tr);
		});
		box.appendChild(table);
		s.appendChild(box);
	}

	/* ---- forum comparison ---- */
	function compare() {
		var c = data.compare;
		var engines = data.forecasts.engines;
		var s = section("Forum formats (baseline " + c.baseline + ")",
			"Mean forecast over the " + engines.length + " engines (" + engines.join(", ") +
			") under each format, and each actor's gain against the baseline: the change " +
			"in its utility, summed over issues, times 100 (utility = " + c.utility +
			": 0 when an issue lands on the actor's position, -1 when an issue it cares " +
			"about fully lands at the far end of the scale). +10 is as good for the actor " +
			"as one issue it cares about fully moving a tenth of its scale toward it.");
		var groups = scaleGroups();
		groups.forEach(function (g, gi) {
			var ds = c.forums.map(function (f) {
				return {label: f.id, backgroundColor: colour("format", f.id),
					data: g.index.map(function (i) { return f.issues[i].forecast; })};
			});
			chart(s, groupId("compare-forecast", groups, gi),
				groupTitle("Mean forecast per issue and format", groups, gi), {type: "bar",
				data: {labels: g.index.map(function (i) { return data.issues[i].id; }),
					datasets: ds},
				options: {scales: {y: axis(g, "position on the issue's scale")}}});
		});
		var gains = c.forums.filter(function (f) { return f.id !== c.baseline; })
			.map(function (f) {
				return {label: f.id, backgroundColor: colour("format", f.id),
					data: data.actors.map(function (a) { return 100 * f.gain[a.id].total; })};
			});
		if (gains.length)
			chart(s, "compare-gain", "Gain against " + c.baseline + " (utility x 100, " +
				"summed over issues)",
				{type: "bar", data: {labels: data.actors.map(function (a) { return a.id; }),
					datasets: gains},
				options: {scales: {y: {title: {display: true,
					text: "gain (utility x 100): + better off, - worse off"}}}}});
		else /* one format only: nothing to gain against */
			s.appendChild(el("p", {"class": "note"}, "The case has one format only (" +
				c.baseline + "): no gain against another to chart."));
		var fs = data.forum_sweeps.filter(function (f) { return f.issues; });
		groups.forEach(function (g, gi) {
			chart(s, groupId("compare-uncertainty", groups, gi), groupTitle("Forecast per " +
				"format under the case's uncertainty: the range of 90% of the forecasts (" +
				data.sweep.engine + ", " + data.sweep.samples + " samples)", groups, gi),
				{type: "bar",
				data: {labels: g.index.map(function (i) { return data.issues[i].id; }),
					datasets: fs.map(function (f) {
						return {label: f.forum, backgroundColor: colour("format", f.forum),
							data: g.index.map(function (i) {
								return [f.issues[i].p05, f.issues[i].p95]; })};
					})},
				options: {scales: {y: axis(g, "5% to 95% quantile of the forecast")},
					plugins: {tooltip: {callbacks: {afterLabel: function (ctx) {
						var i = fs[ctx.datasetIndex].issues[g.index[ctx.dataIndex]];
						return "median " + fmt(i.p50, 1) + ", mean " + fmt(i.mean, 1);
					}}}}}});
		});
		var table = el("table");
		var head = el("tr");
		head.appendChild(el("th", {}, "format"));
		data.issues.forEach(function (i) { head.appendChild(el("th", {}, i.id)); });
		table.appendChild(head);
		c.forums.forEach(function (f) {
			var tr = el("tr");
			tr.appendChild(el("td", {}, f.id));
			f.issues.forEach(function (i) {
				var split = 2 * i.agree <= i.engines;
				tr.appendChild(el("td", {"class": split ? "split" : "agreed"},
					fmt(i.forecast, 1) + " (" + signed(i.change, 1) + ") " +
					i.agree + "/" + i.engines));
			});
			table.appendChild(tr);
		});
		s.appendChild(table);
		s.appendChild(el("p", {"class": "note"},
			"Each cell: the mean forecast, its change against " + c.baseline + " in " +
			"brackets, and how many of the engines land within 10% of the scale of one " +
			"another. Shaded: no majority of the engines agrees, so read their own " +
			"forecasts (Forecasts per engine) before the mean."));
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
			w.seed + ")", "Distribution of " + w.engine + "'s forecast under the case's " +
			"uncertainty (" + w.uncertainty + "): how many of the " + w.samples +
			" samples land in each bin of the issue's scale.  Quantiles from a " +
			"4096-bin histogram.");
		w.issues.forEach(function (wi) {
			var h = wi.histogram, n = h.counts.length, width = (h.hi - h.lo) / n;
			var labels = h.counts.map(function (_, b) { return fmt(h.lo + width * b, 0); });
			chart(s, "hist-" + wi.issue, issueName(wi.issue) + ": mean " + fmt(wi.mean, 1) +
				", 90% in [" + fmt(wi.quantiles.p05, 1) + ", " + fmt(wi.quantiles.p95, 1) + "]",
				{type: "bar", data: {labels: labels, datasets: [{label: "samples",
					backgroundColor: colour("series", "samples"), data: h.counts, barPercentage: 1,
					categoryPercentage: 1}]},
					options: {scales: {x: {title: {display: true, text: "forecast (bin start)"}},
						y: {title: {display: true, text: "samples"}}}}},
				halfWidth(), 280);
		});
	}

	/* ---- tornado ---- */
	function tornado() {
		var w = data.sweep;
		if (!w.sensitivity) return;
		var s = section("What moves the outcome (" + w.engine + ")", "Sobol' indices of " +
			w.engine + "'s forecast: " + w.sensitivity + ".  The first-order index S is " +
			"the share of the forecast's variance an input causes alone, the total " +
			"index ST alone and with the others.  The ten inputs with the largest total " +
			"index per issue.");
		var ai = data.actor_indices;
		chart(s, "tornado-actors", "Whose judgements matter: total index of all of an " +
			"actor's inputs together", {type: "bar",
			data: {labels: ai.map(function (a) { return a.factor.replace(/^actor /, ""); }),
				datasets: data.issues.map(function (iss, k) {
					return {label: iss.id, backgroundColor: colour("issue", iss.id),
						data: ai.map(function (a) { return a.total[k]; })};
				})},
			options: {indexAxis: "y", scales: {x: {min: 0, title: {display: true,
				text: "share of the forecast's variance"}}}}}, undefined, 420);
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
					}}}}}}, halfWidth(), 340);
		});
	}

	summary();
	forecasts();
	trajectories();
	compare();
	sweep();
	tornado();
	document.body.setAttribute("data-charts", String(rendered));
})();
