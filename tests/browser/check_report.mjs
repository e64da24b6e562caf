// check_report.mjs - opens a parley report in headless Chromium with the
// network cut off, checks that every chart rendered (a canvas with drawn
// pixels), that nothing was fetched and no script failed, and saves a
// screenshot.  usage: node check_report.mjs REPORT.html SCREENSHOT.png
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// playwright-core comes from the source tree's node_modules (npm ci)
const root = process.env.PARLEY_SOURCE_ROOT || process.cwd();
const { chromium } = createRequire(root + "/package.json")("playwright-core");

const [report, shot] = process.argv.slice(2);

// In the page: every engine, format, actor and issue has one colour in every
// chart, the one parley assigned (data.colours); the tornado's indices and
// the forecast line have theirs; a trajectory legend shows lines, the
// forecast's dashed.  Returns the failures.
function checkColours() {
	const data = JSON.parse(document.getElementById("parley-data").textContent);
	const kindOf = (id) => id.startsWith("forecasts") ? "engine" : id.startsWith("compare-") ? "format" :
		id === "tornado-actors" ? "issue" : id.startsWith("trajectory-") ? "actor" : "series";
	const out = [], seen = {};
	for (const c of document.querySelectorAll("canvas[data-chart]")) {
		const ch = Chart.getChart(c), kind = kindOf(c.dataset.chart);
		for (const d of ch.data.datasets) {
			const k = d.label === "forecast" ? "series" : kind;
			const col = String(kind === "actor" ? d.borderColor : d.backgroundColor).toLowerCase();
			const want = data.colours[k] && data.colours[k][d.label];
			if (!want) out.push(`${c.dataset.chart}: ${d.label} has no colour in data.colours.${k}`);
			else if (col !== want.toLowerCase())
				out.push(`${c.dataset.chart}: ${d.label} is ${col}, data.colours.${k} says ${want}`);
			const key = k + ":" + d.label;
			if (seen[key] && seen[key] !== col)
				out.push(`${d.label} is ${seen[key]} in one chart and ${col} in ${c.dataset.chart}`);
			seen[key] = col;
		}
		if (kind === "actor") {
			const legend = ch.options.plugins.legend.labels;
			const items = ch.legend.legendItems;
			const fc = items.find((i) => i.text === "forecast");
			if (!legend.usePointStyle || !items.every((i) => i.pointStyle === "line"))
				out.push(`${c.dataset.chart}: legend entries are not line samples`);
			if (!fc || !fc.lineDash || fc.lineDash.length === 0)
				out.push(`${c.dataset.chart}: the forecast's legend entry is not dashed`);
		}
	}
	return out;
}

// The provenance in the page, and the trajectory section's note.
function checkText(expectNote) {
	const data = JSON.parse(document.getElementById("parley-data").textContent);
	const out = [];
	const table = document.querySelector("table[data-provenance=forecasts]");
	const rows = table ? table.querySelectorAll("tr").length - 1 : 0;
	if (rows !== data.forecasts.engines.length)
		out.push(`provenance table has ${rows} rows for ${data.forecasts.engines.length} engines`);
	for (const r of data.forecasts.runs) {
		if (!table || !table.textContent.includes(r.engine) ||
		    !table.textContent.includes(r.params.split(",").join(", ")))
			out.push(`provenance table lacks ${r.engine}'s parameters ${r.params}`);
	}
	const t = data.trajectories;
	const note = [...document.querySelectorAll("section")]
		.find((s) => s.querySelector("h2").textContent.startsWith("Round-by-round"))
		.querySelector(".note").textContent;
	for (const want of [`seed ${t.seed}`, t.params.split(",").join(", "), `parley ${data.parley}`])
		if (!note.includes(want)) out.push(`trajectory note lacks '${want}': ${note}`);
	if (/No dynamic engine is built in/.test(note)) out.push("trajectory note: " + note);
	if (expectNote && !note.includes(expectNote))
		out.push(`trajectory note lacks '${expectNote}': ${note}`);
	// the exchange engine's trades: one row each, as the data gives them
	if (t.engine === "exchange" && !(t.exchanges && t.exchanges.length))
		out.push("the exchange engine's trades are not in the report's data");
	if (t.exchanges) {
		const rows = [...document.querySelectorAll("table[data-trades] tr")].slice(1);
		if (rows.length !== t.exchanges.length)
			out.push(`the trades table has ${rows.length} rows for ${t.exchanges.length} trades`);
		t.exchanges.forEach((x, k) => {
			const c = rows[k] ? [...rows[k].cells].map((td) => td.textContent) : [];
			const [a, b] = x.actors;
			if (c[0] !== String(x.round) || c[2] !== a.actor || c[4] !== `${a.from.toFixed(1)} → ${a.to.toFixed(1)}` ||
			    c[5] !== b.actor || c[7] !== `${b.from.toFixed(1)} → ${b.to.toFixed(1)}`)
				out.push(`trade ${k + 1} shown as '${c.join(" | ")}', not as the data gives it`);
		});
	}
	return out;
}

// Issue 17: the page opens with the summary (one row per issue, naming the
// forecast's engine); a chart of forecasts has one axis, so every issue in
// it shares its scale and the axis spans that scale; the compare table marks
// agreement, not a star on every cell.
function checkLayout() {
	const data = JSON.parse(document.getElementById("parley-data").textContent);
	const out = [];
	const first = document.querySelector("section h2");
	if (!first || first.textContent !== "In brief") out.push("the page does not open with 'In brief'");
	const sum = document.querySelector("table[data-summary=issues]");
	const rows = sum ? sum.querySelectorAll("tr").length - 1 : 0;
	if (rows !== data.issues.length) out.push(`summary has ${rows} rows for ${data.issues.length} issues`);
	if (sum && !sum.textContent.includes(`forecast (${data.sweep.engine})`))
		out.push("summary does not name the forecast's engine");
	const scale = {};
	for (const i of data.issues) scale[i.id] = i.min + "-" + i.max;
	for (const c of document.querySelectorAll("canvas[data-chart]")) {
		const id = c.dataset.chart;
		if (!/^(forecasts|compare-forecast|compare-uncertainty)/.test(id)) continue;
		const ch = Chart.getChart(c);
		const scales = new Set(ch.data.labels.map((l) => scale[l]));
		if (scales.size !== 1) out.push(`${id}: issues on ${[...scales].join(" and ")} share an axis`);
		const [lo, hi] = [...scales][0].split("-").map(Number);
		if (ch.scales.y.min !== lo || ch.scales.y.max !== hi)
			out.push(`${id}: the axis spans ${ch.scales.y.min}-${ch.scales.y.max}, not ${lo}-${hi}`);
	}
	if (document.body.innerText.includes("* not stable")) out.push("the compare table still stars every cell");
	// charts use the page's width: a full chart spans most of it
	const full = document.querySelector("canvas[data-chart^=forecasts]");
	const page = document.getElementById("report").clientWidth;
	if (!full || full.width < 0.9 * page) out.push(`the forecast chart is ${full && full.width} px of ${page}`);
	return out;
}

let failures = 0;
const fail = (msg) => { failures++; console.error("FAIL: " + msg); };

function checkCharts(charts) {
	if (charts.charts.length === 0) fail("no charts in the page");
	if (charts.declared !== charts.charts.length)
		fail(`report.js drew ${charts.declared} charts, the page holds ${charts.charts.length}`);
	const want = ["forecasts", "compare-forecast", "compare-gain", "compare-uncertainty", "tornado-actors", "tornado-", "hist-", "trajectory-"];
	for (const w of want)
		if (!charts.charts.some((c) => c.id.startsWith(w))) fail("no chart " + w + "*");
	for (const c of charts.charts) {
		// axes, bars and labels cover well over 1 % of a drawn chart
		if (!c.rendered || c.drawn < c.area * 0.01)
			fail(`chart ${c.id} is empty (${c.drawn} of ${c.area} pixels drawn)`);
	}
}
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
	args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-dev-shm-usage", "--no-first-run"],
});
try {
	const context = await browser.newContext({ offline: true, viewport: { width: Number(process.env.VIEWPORT_WIDTH || 1366), height: 1000 } });
	const page = await context.newPage();
	const requests = [];
	page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
	page.on("pageerror", (e) => fail("script error: " + e.message));
	page.on("console", (m) => { if (m.type() === "error") fail("console error: " + m.text()); });
	await page.goto(pathToFileURL(report).href, { waitUntil: "load" });
	const charts = await page.evaluate(() => {
		const out = [];
		for (const c of document.querySelectorAll("canvas[data-chart]")) {
			const ctx = c.getContext("2d");
			const px = ctx.getImageData(0, 0, c.width, c.height).data;
			let drawn = 0;
			for (let k = 3; k < px.length; k += 4) if (px[k] > 0) drawn++;
			out.push({ id: c.dataset.chart, rendered: c.dataset.rendered === "1",
				drawn, area: c.width * c.height });
		}
		return { declared: Number(document.body.dataset.charts || 0), charts: out };
	});
	// with EXPECT_TEXT only the text and the script are checked: a case of
	// one format (Paris) has no gain against another to chart
	const expectText = process.env.EXPECT_TEXT;
	if (!expectText) {
		checkCharts(charts);
		for (const msg of await page.evaluate(checkColours)) fail(msg);
		for (const msg of await page.evaluate(checkText, process.env.EXPECT_NOTE || "")) fail(msg);
		for (const msg of await page.evaluate(checkLayout)) fail(msg);
	}
	if (requests.length) fail("the report fetched " + requests.join(", "));
	// EXPECT_TEXT: sentences the page must show, separated by "||" (e.g. why
	// an engine did not run)
	for (const t of expectText ? expectText.split("||") : [])
		if (!(await page.evaluate((x) => document.body.innerText.includes(x), t)))
			fail("the page does not show: " + t);
	await page.screenshot({ path: shot, fullPage: true });
	console.log(`${charts.charts.length} charts rendered; screenshot ${shot}`);
} finally {
	await browser.close();
}
process.exit(failures ? 1 : 0);
