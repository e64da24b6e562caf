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

// Every canvas of the page: drawn pixels against its area.  A chart whose
// data comes by its own request (the ledger's trust) may be drawn after the
// page's tables: first wait, up to 15 s, until every canvas holds pixels,
// then read (checkChartsDrawn fails the ones that never did).
const canvasPixels = () => [...document.querySelectorAll("figure.chart")].map((f) => {
	const c = f.querySelector("canvas");
	const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
	let drawn = 0;
	for (let k = 3; k < px.length; k += 4) if (px[k] > 0) drawn++;
	return { id: f.dataset.chart, drawn, area: c.width * c.height };
});
async function readCharts(page) {
	await page.waitForFunction(`(${canvasPixels})().every((c) => c.drawn > c.area * 0.01)`, null, { timeout: 15000 })
		.catch(() => {});
	return page.evaluate(canvasPixels);
}

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

// The forecasts table shown for case id equals the API's forecasts of it.
async function checkForecastTable(page, id, tableId, what, col0 = 1) {
	const doc = await api("/forecast", { case: id, engine: "all" });
	const kase = await api("/cases/" + encodeURIComponent(id));
	const t = await readTable(page, tableId);
	let same = 0, cells = 0;
	kase.issues.forEach((iss, i) => doc.results.forEach((r, e) => {
		const o = r.outcomes.find((x) => x.issue === iss.id);
		cells++;
		const shown = t && t.rows[i] ? t.rows[i][col0 + e].split(" (")[0] : null;
		if (shown === fmt1(o.forecast)) same++;
		else fail(`${what}: ${iss.id} ${r.engine} shows ${shown}, the API says ${fmt1(o.forecast)}`);
	}));
	check(same === cells && cells > 0, `${what}: ${same} of ${cells} forecasts equal the API's for ${id}`);
	return doc;
}

const expected = { refusals: 0 };
const caseOfUrl = (page) => new URL(page.url()).searchParams.get("case");

async function testEditor(page) {
	await page.goto(base + "/?view=editor", { waitUntil: "load" });
	await page.waitForSelector('table[data-table="editor"]');
	const cell = page.getByLabel("CHN salience on DPRK nuclear programme", { exact: true });
	check((await cell.inputValue()) === "60", "editor: CHN's salience on the nuclear issue is 60");
	// a value the server refuses: its message at the cell, nothing saved
	expected.refusals = 1;
	await cell.fill("150");
	const err = page.locator("#c-actors-1-stances-nuclear-salience-err");
	await err.waitFor({ timeout: 10000 });
	const msg = await err.textContent();
	check(/salience/.test(msg) && /150/.test(msg), `editor: the server's message at the cell: "${msg}"`);
	check((await cell.getAttribute("aria-invalid")) === "true", "editor: the refused cell is marked invalid");
	check(caseOfUrl(page) === null, "editor: a refused edit makes no version");
	await shot(page, "02-editor-invalid");
	// a valid edit: a new version, which the address holds
	await cell.fill("20");
	await page.waitForFunction(() => new URLSearchParams(location.search).get("case"), null, { timeout: 10000 });
	const id = caseOfUrl(page);
	check(/^[0-9a-f]{16}$/.test(id), `editor: the edit made version ${id}`);
	const kase = await api("/cases/" + id);
	check(kase.actors[1].stances.nuclear.salience === 20, "editor: the new version holds the edited salience");
	check(await err.count() === 0, "editor: the message is gone once the value is valid");
	await page.waitForFunction((id) => document.querySelector("footer").textContent.includes(id), id);
	await page.waitForSelector('table[data-table="edited-forecasts"] td.changed', { timeout: 10000 });
	const before = await api("/forecast", { case: "korea-six-party", engine: "compromise" });
	const after = await checkForecastTable(page, id, "edited-forecasts", "editor");
	const b = before.results[0].outcomes[0].forecast, a = after.results[0].outcomes[0].forecast;
	check(Math.abs(a - b) > 0.05, `editor: the compromise forecast of the nuclear issue moved (${fmt1(b)} -> ${fmt1(a)})`);
	await shot(page, "03-editor-edited");
	// the forecasts view of the new version, by the address
	await page.getByRole("navigation").getByRole("link", { name: "Forecasts" }).click();
	await page.waitForSelector('table[data-table="forecasts"]');
	check(caseOfUrl(page) === id, "editor: the forecasts view keeps the version in the address");
	await checkForecastTable(page, id, "forecasts", "forecasts of the edited version", 2);
	// undo: back to the shipped case
	await page.getByRole("navigation").getByRole("link", { name: "Edit the case" }).click();
	await page.getByRole("button", { name: /Undo/ }).click();
	await page.waitForFunction(() => new URLSearchParams(location.search).get("case") === "korea-six-party");
	await page.waitForFunction(() => document.querySelector('input[aria-label="CHN salience on DPRK nuclear programme"]')?.value === "60");
	ok("editor: Undo returns to the version before the edit");
	await page.getByRole("button", { name: /Redo/ }).click();
	await page.waitForFunction((id) => new URLSearchParams(location.search).get("case") === id, id);
	ok("editor: Redo returns to the edited version");
}

async function testSweep(page) {
	await page.goto(base + "/?view=sweep", { waitUntil: "load" });
	await page.getByLabel("Engine").selectOption("eu");
	await page.getByLabel("Samples").fill("1000");
	// every progress value the page shows, as it shows them
	await page.evaluate(() => {
		window.__progress = [];
		new MutationObserver(() => {
			const p = document.querySelector("[data-progress]");
			if (p && window.__progress[window.__progress.length - 1] !== p.dataset.progress)
				window.__progress.push(p.dataset.progress);
		}).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
	});
	await page.getByRole("button", { name: "Run the sweep" }).click();
	// (minutes under ASan, whose build is not optimised)
	await page.waitForSelector('table[data-table="sweep-summary"]', { timeout: 500000 });
	const seen = await page.evaluate(() => window.__progress);
	check(seen[seen.length - 1] === "100" && seen.length >= 3, `sweep: the progress reached 100 % (${seen.length} values shown: ${seen.slice(0, 3).join(", ")} … ${seen.slice(-2).join(", ")} %)`);
	check(await page.evaluate(() => document.querySelector("progress").value === 100), "sweep: the progress bar is full");
	const job = new URL(page.url()).searchParams.get("job");
	check(!!job, `sweep: the address holds the job (${job})`);
	const res = await api(`/jobs/${job}/result`);
	const t = await readTable(page, "sweep-summary");
	let same = 0;
	res.issues.forEach((i, k) => { if (t.rows[k][2] === fmt1(i.mean) && t.rows[k][6] === fmt1(i.quantiles.p95)) same++; });
	check(same === res.issues.length && res.samples === 1000 && res.engine === "eu",
		`sweep: ${same} of ${res.issues.length} issues' means and 95 % quantiles equal the job's result`);
	const charts = await readCharts(page);
	check(charts.filter((c) => c.id.startsWith("hist-")).length === res.issues.length, "sweep: one histogram per issue");
	check(charts.some((c) => c.id.startsWith("tornado-")), "sweep: a tornado of the sensitivity indices");
	checkChartsDrawn(charts, "sweep");
	await shot(page, "04-sweep");
	// the address reopens the finished sweep
	await page.goto(page.url(), { waitUntil: "load" });
	await page.waitForSelector('table[data-table="sweep-summary"]', { timeout: 20000 });
	ok("sweep: the address reopens the finished sweep");
}

// An edit in the editor, saved as a named scenario; returns the version.
async function makeScenario(page, from, label, value, name) {
	await page.goto(base + `/?case=${from}&view=editor`, { waitUntil: "load" });
	await page.waitForSelector('table[data-table="editor"]');
	await page.getByLabel(label, { exact: true }).fill(value);
	await page.waitForFunction((from) => new URLSearchParams(location.search).get("case") !== from, from, { timeout: 10000 });
	const id = caseOfUrl(page);
	await page.waitForFunction((id) => document.querySelector("footer").textContent.includes(id), id);
	await page.getByLabel("Save this version as a scenario named").fill(name);
	await page.getByRole("button", { name: "Save scenario" }).click();
	await page.getByText(`saved as “${name}”`).waitFor();
	return id;
}

async function testScenarios(page) {
	const a = await makeScenario(page, "korea-six-party", "USA capability", "60", "US weaker");
	const b = await makeScenario(page, "korea-six-party", "PRK position on DPRK nuclear programme", "60", "DPRK freezes");
	await page.getByRole("navigation").getByRole("link", { name: "Scenarios" }).click();
	await page.getByRole("combobox", { name: "Scenario A" }).selectOption(a);
	await page.getByRole("combobox", { name: "Scenario B" }).selectOption(b);
	await page.waitForSelector('table[data-table="scenario-issues"]');
	const q = new URL(page.url()).searchParams;
	check(q.get("a") === a && q.get("b") === b, "scenarios: the address holds the pair");
	const fa = await api("/forecast", { case: a, engine: "all" }), fb = await api("/forecast", { case: b, engine: "all" });
	const t = await readTable(page, "scenario-issues");
	let same = 0, cells = 0;
	const n = fa.results.length;
	fa.results.forEach((r, e) => r.outcomes.forEach((o, i) => {
		const ob = fb.results[e].outcomes[i], row = t.rows[i * n + e];
		cells++;
		if (row[1] === r.engine && row[2] === fmt1(o.forecast) && row[3] === fmt1(ob.forecast)) same++;
	}));
	check(same === cells, `scenarios: ${same} of ${cells} forecast pairs equal the API's`);
	const d = await readTable(page, "scenario-actors");
	const has = (who, what, x, y) => d.rows.some((r) => r[0].includes(who) && r[1].includes(what) && r[2] === x && r[3] === y);
	check(has("United States", "capability", "60", "100") && has("DPR Korea", "DPRK nuclear programme: position", "90", "60"),
		"scenarios: actor by actor, the two changed judgements");
	checkChartsDrawn(await readCharts(page), "scenarios");
	await shot(page, "05-scenarios");
}

async function testLedger(page) {
	await page.goto(base + "/?view=ledger", { waitUntil: "load" });
	await page.waitForSelector('table[data-table="ledger-entries"]', { timeout: 30000 });
	const size = Number((await (await fetch(origin + "/api/v1/ledger/checkpoint")).text()).split("\n")[1]);
	const t = await readTable(page, "ledger-entries");
	check(t.rows.length === size, `ledger: ${t.rows.length} entries listed, the checkpoint says ${size}`);
	checkChartsDrawn(await readCharts(page), "ledger");
	// the first commitment: verified in the page
	const row = t.rows.findIndex((r) => r[4] === "commitment");
	const index = Number(t.rows[row][0]);
	await page.getByRole("button", { name: `Verify entry ${index}`, exact: true }).click();
	await page.waitForFunction(() => document.querySelector("textarea.bundle")?.value.includes("parley-ledger-bundle"));
	await page.getByRole("button", { name: "Verify", exact: true }).click();
	const verdict = page.locator("[data-verdict]");
	await verdict.waitFor();
	check((await verdict.getAttribute("data-verdict")) === "verified", `ledger: entry ${index} verifies in the browser: ${await verdict.textContent()}`);
	const passed = await page.locator("ul.steps li.ok").count();
	check(passed >= 6 && (await page.locator("ul.steps li.bad").count()) === 0, `ledger: ${passed} checks passed, none failed`);
	check(new URL(page.url()).searchParams.get("entry") === String(index), "ledger: the address holds the entry");
	await shot(page, "06-ledger-verified");
	// a tampered entry fails
	await page.getByRole("button", { name: /Alter the entry/ }).click();
	await page.getByRole("button", { name: "Verify", exact: true }).click();
	await verdict.waitFor();
	check((await verdict.getAttribute("data-verdict")) === "failed", "ledger: the tampered entry fails verification");
	const bad = await page.locator("ul.steps li.bad").allTextContents();
	check(bad.some((b) => /in the log at index/.test(b)) && bad.some((b) => /signed by/.test(b)),
		`ledger: the inclusion proof and the author's signature fail (${bad.length} checks failed)`);
	await shot(page, "07-ledger-tampered");
	// another log key: the checkpoint's signature fails
	await page.goto(page.url(), { waitUntil: "load" });
	await page.waitForFunction(() => document.querySelector("textarea.bundle")?.value.includes("parley-ledger-bundle"));
	const keyBox = page.getByLabel(/The log's verifier key/);
	const good = await keyBox.inputValue();
	await keyBox.fill("someone.else+00000000+" + good.split("+")[2]);
	await page.getByRole("button", { name: "Verify", exact: true }).click();
	await verdict.waitFor();
	check((await verdict.getAttribute("data-verdict")) === "failed", "ledger: a key other than the log's fails");
	await keyBox.fill(good);
	// as a party: its private channels, its commitments' actions and trust
	const keys = process.env.PARLEY_KEYS;
	if (!keys) return;
	const { readFileSync } = await import("node:fs");
	await page.goto(base + "/?view=ledger", { waitUntil: "load" });
	await page.waitForSelector('table[data-table="trust"]', { timeout: 30000 });
	const pub = await readTable(page, "trust");
	check(pub.rows.length > 0 && pub.rows.every((r) => r[2] === "0" && r[3] === "0"), "ledger: unsigned, no private commitment counts towards trust");
	await page.getByText("View as a party (its private channels)").click();
	await page.getByLabel(/The party's secret key/).fill(readFileSync(`${keys}/PRK.key`, "utf8"));
	await page.getByRole("button", { name: "View as this party" }).click();
	await page.getByText("Viewing as PRK").waitFor();
	await page.waitForSelector('table[data-table="commitments"]', { timeout: 30000 });
	const status = await page.evaluate(() => document.querySelector("#h-trust").textContent);
	check(/as PRK sees it/.test(status), "ledger: the trust section says whose view it is");
	const shown = await page.waitForFunction(() => [...document.querySelectorAll('table[data-table="ledger-entries"] td.what')]
		.some((td) => /Yongbyon/.test(td.textContent)), null, { timeout: 30000 }).then(() => true, () => false);
	check(shown, "ledger: as PRK, its private commitments' actions are shown");
	const trust = await readTable(page, "trust");
	const prk = trust.rows.find((r) => r[0] === "PRK");
	check(prk && Number(prk[3]) > 0, `ledger: as PRK, trust counts the private channel (PRK broke ${prk && prk[3]})`);
	checkChartsDrawn(await readCharts(page), "ledger as PRK");
	await shot(page, "10-ledger-as-party");
}

async function testTrajectories(page) {
	await page.goto(base + "/?view=trajectories&engine=eu&issue=assistance", { waitUntil: "load" });
	const slider = page.getByRole("slider");
	await slider.waitFor({ timeout: 20000 });
	const doc = await api("/forecast", { case: "korea-six-party", engine: "eu", trace: true });
	const out = doc.results[0].outcomes.find((o) => o.issue === "assistance");
	const last = out.trajectory[out.trajectory.length - 1].round;
	check(Number(await slider.getAttribute("max")) === last, `rounds: the slider runs to round ${last}`);
	await slider.focus();
	await page.keyboard.press("Home");
	await page.waitForFunction(() => new URLSearchParams(location.search).get("round") === "0");
	const t = await readTable(page, "round-assistance");
	const same = out.actors.every((a, k) => t.rows[k][0] === a && t.rows[k][1] === fmt1(out.trajectory[0].positions[k]));
	check(same, "rounds: the keyboard moves the slider to round 0, whose positions equal the API's");
	checkChartsDrawn(await readCharts(page), "rounds");
	await page.keyboard.press("End");
	await page.waitForFunction((r) => new URLSearchParams(location.search).get("round") === String(r), last);
	await shot(page, "08-rounds");

	// the exchange engine: the trades of a round that moved the issue, as the API lists them
	await page.goto(base + "/?view=trajectories&engine=exchange&issue=nuclear&round=1", { waitUntil: "load" });
	await page.waitForSelector('table[data-table="exchanges-nuclear"]', { timeout: 30000 });
	const xdoc = await api("/forecast", { case: "korea-six-party", engine: "exchange", trace: true });
	const round1 = xdoc.results[0].exchanges.filter((x) => x.round === 1);
	const here = round1.filter((x) => x.actors.some((a) => a.gives_on === "nuclear"));
	const tt = await readTable(page, "exchanges-nuclear");
	check(here.length > 0 && tt.rows.length === here.length, `rounds: exchange's trades of round 1 that moved nuclear (${tt.rows.length} shown, the API's ${here.length})`);
	const sameTrades = here.every((x, k) => {
		const s = x.actors.find((a) => a.gives_on === "nuclear"), o = x.actors.find((a) => a !== s);
		const r = tt.rows[k] || [];
		return r[0] === String(round1.indexOf(x) + 1) && r[1] === s.actor && r[2] === `${fmt1(s.from)} → ${fmt1(s.to)}` && r[3] === o.actor;
	});
	check(sameTrades, "rounds: each trade shown is the API's (order, who gave ground, how far, with whom)");
	await shot(page, "11-trades");
}

async function testGame(page) {
	await page.goto(base + "/?view=game", { waitUntil: "load" });
	await page.waitForSelector("svg.tree", { timeout: 30000 });
	const game = await api("/games/korea-crisis");
	const sol = await api("/games/solve", { game: "korea-crisis" });
	const drawn = await page.evaluate(() => ({ nodes: document.querySelectorAll("svg.tree circle").length,
		hot: [...document.querySelectorAll("svg.tree path")].filter((p) => p.getAttribute("stroke-width") === "4").length,
		text: document.querySelector("svg.tree").textContent }));
	check(drawn.nodes === game.nodes.length, `game: ${drawn.nodes} nodes drawn of ${game.nodes.length}`);
	const reached = sol.equilibria[0].outcomes.filter((o) => o.probability !== "0");
	check(drawn.hot > 0 && reached.every((o) => drawn.text.includes(o.outcome)), `game: equilibrium 1's path highlighted (${drawn.hot} branches) to ${reached.map((o) => o.outcome).join("; ")}`);
	const t = await readTable(page, "equilibrium-payoffs");
	check(t.rows.map((r) => r[1]).join(",") === sol.equilibria[0].payoffs.join(","), "game: the payoffs equal the solver's");
	await page.getByRole("combobox", { name: /Equilibrium/ }).selectOption("2");
	await page.waitForFunction(() => new URLSearchParams(location.search).get("eq") === "2");
	ok("game: another equilibrium by the address");
	await shot(page, "09-game");
}

// Downloads: a chart as PNG, a table as CSV, the case as CSV and its report.
async function testExports(page) {
	await page.goto(base + "/?view=editor", { waitUntil: "load" });
	await page.waitForSelector('table[data-table="editor"]');
	const get = async (click) => {
		const [d] = await Promise.all([page.waitForEvent("download", { timeout: 120000 }), click()]);
		const path = await d.path();
		const { readFileSync } = await import("node:fs");
		return { name: d.suggestedFilename(), bytes: readFileSync(path) };
	};
	const csv = await get(() => page.getByRole("link", { name: "Download CSV", exact: true }).click());
	const cmdCsv = await (await fetch(origin + "/api/v1/cases/korea-six-party?format=csv&issue=nuclear")).text();
	check(csv.bytes.toString() === cmdCsv && /^Actor,|^# /m.test(cmdCsv), `exports: the case's CSV (${csv.name})`);
	const rep = await get(() => page.getByRole("link", { name: "Download the HTML report" }).click());
	check(rep.bytes.toString().includes("<html") && rep.bytes.length > 100000, `exports: the HTML report (${rep.name}, ${rep.bytes.length} bytes)`);
	await page.goto(base + "/", { waitUntil: "load" });
	await page.waitForSelector('table[data-table="forecasts"]');
	const png = await get(() => page.getByRole("button", { name: /as PNG/ }).first().click());
	check(png.bytes.subarray(1, 4).toString() === "PNG" && png.bytes.length > 2000, `exports: a chart as PNG (${png.name}, ${png.bytes.length} bytes)`);
	const svg = await get(() => page.getByRole("button", { name: /as SVG/ }).first().click());
	check(svg.bytes.toString().includes("<svg"), `exports: a chart as SVG (${svg.name})`);
	const tab = await get(() => page.getByRole("button", { name: /Save the table "Forecasts/ }).click());
	const lines = tab.bytes.toString().trim().split("\n");
	check(lines[0].startsWith("issue,scale,compromise") && lines.length === 6, `exports: the forecasts table as CSV (${lines.length} lines)`);
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
	// Chromium logs every 4xx answer as a console error: a refusal the test
	// provokes on purpose (an invalid edit) is expected, any other is not
	page.on("console", (m) => {
		if (m.type() !== "error") return;
		if (expected.refusals > 0 && /status of 400/.test(m.text())) {
			expected.refusals--;
			return;
		}
		fail("console error: " + m.text());
	});
	const only = process.env.ONLY;
	const tests = { forecasts: testForecasts, editor: testEditor, sweep: testSweep, scenarios: testScenarios, ledger: testLedger, trajectories: testTrajectories, game: testGame, exports: testExports };
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
