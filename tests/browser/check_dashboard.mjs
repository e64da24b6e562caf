// check_dashboard.mjs - the dashboard in headless Chromium against a real
// `parley serve` (test_dashboard.sh starts it): what a user sees is checked
// against what the API answers, nothing may be fetched from anywhere but the
// server, no script may fail, and a screenshot of each view is saved.
// usage: node check_dashboard.mjs BASE-URL OUTDIR
import { createRequire } from "node:module";

const root = process.env.PARLEY_SOURCE_ROOT || process.cwd();
const { chromium } = createRequire(root + "/package.json")("playwright-core");
const [base, out] = process.argv.slice(2);
const origin = new URL(base).origin;

let failures = 0, passed = 0;
const fail = (msg) => { failures++; console.error("FAIL: " + msg); };
const ok = (msg) => { passed++; console.log("ok: " + msg); };
const check = (cond, msg) => (cond ? ok(msg) : fail(msg));

async function api(path, body) {
	const res = await fetch(origin + "/api/v1" + path, body === undefined ? {} :
		{ method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
	if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
	return res.json();
}

const fmt1 = (x) => (x === null || x === undefined ? "–" : x.toFixed(1));

// The table with data-table=ID as {head, rows: [[cell text]]}.
const readTable = (page, id) => page.evaluate((id) => {
	const t = document.querySelector(`table[data-table="${id}"]`);
	if (!t) return null;
	return {
		head: [...t.querySelectorAll("thead th")].map((c) => c.textContent.trim()),
		rows: [...t.querySelectorAll("tbody tr")].map((r) => [...r.children].map((c) => c.textContent.trim())),
	};
}, id);

// Every canvas of the page: drawn pixels against its area.
const readCharts = (page) => page.evaluate(() => [...document.querySelectorAll("figure.chart")].map((f) => {
	const c = f.querySelector("canvas");
	const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
	let drawn = 0;
	for (let k = 3; k < px.length; k += 4) if (px[k] > 0) drawn++;
	return { id: f.dataset.chart, drawn, area: c.width * c.height };
}));

function checkChartsDrawn(charts, what) {
	if (!charts.length) fail(`${what}: no chart`);
	for (const c of charts)
		check(c.area > 0 && c.drawn > c.area * 0.01, `${what}: chart ${c.id} drawn (${c.drawn} of ${c.area} pixels)`);
}

async function shot(page, name) {
	await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
}

async function testForecasts(page) {
	await page.goto(base + "/", { waitUntil: "load" });
	await page.waitForSelector('table[data-table="forecasts"]', { timeout: 20000 });
	const doc = await api("/forecast", { case: "korea-six-party", engine: "all" });
	const kase = await api("/cases/korea-six-party");
	const t = await readTable(page, "forecasts");
	check(t.head.slice(2, 2 + doc.results.length).join(",") === doc.results.map((r) => r.engine).join(","),
		`/: one column per engine (${t.head.join(", ")})`);
	let same = 0, cells = 0;
	kase.issues.forEach((iss, i) => {
		doc.results.forEach((r, e) => {
			const o = r.outcomes.find((x) => x.issue === iss.id);
			cells++;
			if (t.rows[i] && t.rows[i][2 + e] === fmt1(o.forecast)) same++;
			else fail(`/: ${iss.id} ${r.engine} shows ${t.rows[i] && t.rows[i][2 + e]}, the API says ${fmt1(o.forecast)}`);
		});
	});
	check(same === cells && cells > 0, `/: ${same} of ${cells} forecasts equal the API's`);
	check(await page.evaluate(() => document.querySelector("h1").textContent.includes("Korean Peninsula")),
		"/: the default case is the Korean case");
	const parties = await readTable(page, "parties");
	check(parties && parties.rows.length === kase.actors.length, "/: every party listed");
	const anchors = await page.locator("ol.anchors li").count();
	check(anchors === kase.issues.reduce((n, i) => n + (i.anchors || []).length, 0), `/: ${anchors} labelled scale anchors shown`);
	checkChartsDrawn(await readCharts(page), "/");
	await shot(page, "01-forecasts");

	// another case by the address, and the view in the address
	await page.goto(base + "/?case=ec-car-emissions", { waitUntil: "load" });
	await page.waitForSelector('table[data-table="forecasts"]');
	check(await page.evaluate(() => document.querySelector("h1").textContent.includes("European Community")),
		"/?case=ec-car-emissions opens that case");
	check((await page.locator("select").first().inputValue()) === "ec-car-emissions", "the case picker shows ?case");
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
	args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-dev-shm-usage", "--no-first-run"],
});
const outside = [];
try {
	const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
	// nothing but the server: any other address is refused and recorded
	await context.route("**/*", (route) => {
		const u = route.request().url();
		if (u.startsWith(origin + "/") || u.startsWith("data:") || u.startsWith("blob:")) return route.continue();
		outside.push(u);
		return route.abort();
	});
	const page = await context.newPage();
	page.on("pageerror", (e) => fail("script error: " + e.message));
	page.on("console", (m) => { if (m.type() === "error") fail("console error: " + m.text()); });
	const only = process.env.ONLY;
	const tests = { forecasts: testForecasts };
	for (const [name, t] of Object.entries(tests)) {
		if (only && !only.split(",").includes(name)) continue;
		try {
			await t(page, context);
		} catch (e) {
			fail(`${name}: ${e.message}`);
			await shot(page, `fail-${name}`).catch(() => {});
		}
	}
	check(outside.length === 0, "nothing fetched from outside the server" + (outside.length ? ": " + outside.join(", ") : ""));
} finally {
	await browser.close();
}
console.log(`${passed} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
