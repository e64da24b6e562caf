// The opening view: the case's parties, its issues on their labelled
// scales, and every engine's forecast of every issue (POST /api/v1/forecast,
// engine "all": the document `parley forecast --format json` prints).
import { useCallback } from "preact/hooks";
import { ChartBox, DataTable, colourOf, pointStyle, fmt } from "../ui.jsx";
import { hrefWith } from "../url.js";

// The anchor nearest a value: the words a reader looks for beside a number.
export function nearestAnchor(issue, v) {
	if (v === null || v === undefined || !issue.anchors || !issue.anchors.length) return null;
	let best = issue.anchors[0];
	for (const a of issue.anchors) if (Math.abs(a.value - v) < Math.abs(best.value - v)) best = a;
	return best;
}

const scaleOf = (issue) => [issue.scale?.min ?? 0, issue.scale?.max ?? 100];

// Where the issues' scales differ, the chart shows each value as a share of
// its scale; where they are the same, the values themselves.
export function onScale(issues) {
	const [a, b] = scaleOf(issues[0]);
	const same = issues.every((i) => scaleOf(i)[0] === a && scaleOf(i)[1] === b);
	return {
		same, min: same ? a : 0, max: same ? b : 100,
		at: (i, v) => {
			if (v === null || v === undefined) return null;
			if (same) return v;
			const [lo, hi] = scaleOf(i);
			return (100 * (v - lo)) / (hi - lo);
		},
	};
}

export function forecastRows(caseDoc, doc) {
	const byIssue = {};
	for (const r of doc.results)
		for (const o of r.outcomes) (byIssue[o.issue] ||= {})[r.engine] = o;
	return byIssue;
}

export function ForecastChart({ caseDoc, doc, id = "forecasts", title }) {
	const config = useCallback(() => {
		const issues = caseDoc.issues, sc = onScale(issues), by = forecastRows(caseDoc, doc);
		const datasets = doc.results.map((r, k) => ({
			label: r.engine,
			data: issues.map((iss, y) => ({ x: sc.at(iss, by[iss.id]?.[r.engine]?.forecast), y })).filter((p) => p.x !== null),
			backgroundColor: colourOf(k), borderColor: "#1a1a1a", borderWidth: 1,
			...pointStyle(k), pointRadius: 8, pointHoverRadius: 10,
		}));
		if (issues.some((i) => i.outcome))
			datasets.push({
				label: "known outcome",
				data: issues.map((iss, y) => ({ x: sc.at(iss, iss.outcome?.value), y })).filter((p) => p.x !== null),
				backgroundColor: "#000", borderColor: "#000", pointStyle: "star", pointRadius: 11, borderWidth: 2,
			});
		datasets.push({
			label: "status quo",
			data: issues.map((iss, y) => ({ x: sc.at(iss, iss.status_quo), y })).filter((p) => p.x !== null),
			backgroundColor: "#fff", borderColor: "#555", pointStyle: "line", pointRadius: 12, borderWidth: 3,
		});
		return {
			type: "scatter",
			data: { datasets },
			options: {
				scales: {
					x: { min: sc.min, max: sc.max, title: { display: true, text: sc.same ? "position on the issue's scale" : "position, % of the issue's scale" } },
					y: {
						min: -0.5, max: issues.length - 0.5, reverse: true,
						afterBuildTicks: (ax) => { ax.ticks = issues.map((_, k) => ({ value: k })); },
						ticks: { callback: (v) => issues[v]?.name ?? "", autoSkip: false },
						grid: { color: "#ddd" },
					},
				},
				plugins: {
					legend: { position: "bottom", labels: { usePointStyle: true } },
					tooltip: {
						callbacks: {
							label: (c) => {
								const iss = issues[c.raw.y];
								return `${c.dataset.label}: ${fmt(c.raw.x)} — ${iss.name}`;
							},
						},
					},
				},
			},
		};
	}, [caseDoc, doc]);
	const h = Math.max(220, 70 + 56 * caseDoc.issues.length);
	return <ChartBox id={id} title={title || "Every engine's forecast on each issue's scale"} config={config} height={h}
		desc={`A chart of the forecasts of ${doc.results.length} engines on ${caseDoc.issues.length} issues; the table above gives the same numbers.`} />;
}

export function ForecastTable({ caseDoc, doc, id = "forecasts", caption }) {
	const by = forecastRows(caseDoc, doc);
	const hasOutcome = caseDoc.issues.some((i) => i.outcome);
	const head = ["issue", "scale", ...doc.results.map((r) => r.engine), ...(hasOutcome ? ["known outcome"] : [])];
	const rows = caseDoc.issues.map((iss) => [
		{ v: iss.name, csv: iss.id, title: iss.id },
		`${iss.scale?.min ?? 0}–${iss.scale?.max ?? 100}`,
		...doc.results.map((r) => {
			const o = by[iss.id]?.[r.engine];
			const a = nearestAnchor(iss, o?.forecast);
			return { v: o?.forecast ?? null, csv: o?.forecast ?? "", title: [a && `near ${a.value}: ${a.label}`, o?.note].filter(Boolean).join("\n") || undefined, cls: "num", digits: 1 };
		}),
		...(hasOutcome ? [{ v: iss.outcome?.value ?? null, csv: iss.outcome?.value ?? "", cls: "num outcome" }] : []),
	]);
	return <DataTable id={id} caption={caption || "Forecasts: where each issue lands, by engine"} head={head} rows={rows} />;
}

function Notes({ doc, caseDoc }) {
	const names = Object.fromEntries(caseDoc.issues.map((i) => [i.id, i.name]));
	const notes = [];
	for (const r of doc.results) for (const o of r.outcomes) if (o.note) notes.push([r.engine, names[o.issue] || o.issue, o.note]);
	if (!notes.length) return null;
	return (
		<details class="notes">
			<summary>The engines' notes ({notes.length})</summary>
			<ul>{notes.map(([e, i, n]) => <li><b>{e}</b>, {i}: {n}</li>)}</ul>
		</details>
	);
}

export function IssueScales({ caseDoc }) {
	return (
		<section aria-labelledby="h-issues">
			<h2 id="h-issues">Issues and their scales</h2>
			<dl class="issues">
				{caseDoc.issues.map((iss) => (
					<div class="issue">
						<dt>{iss.name} <span class="muted">({iss.id}, {iss.scale?.min ?? 0}–{iss.scale?.max ?? 100}, status quo {fmt(iss.status_quo, 0)})</span></dt>
						<dd>
							<ol class="anchors">
								{(iss.anchors || []).map((a) => <li><span class="anchor-v">{a.value}</span> {a.label}</li>)}
							</ol>
						</dd>
					</div>
				))}
			</dl>
		</section>
	);
}

export function PartiesTable({ caseDoc, id = "parties" }) {
	const head = ["party", "capability", ...caseDoc.issues.map((i) => `${i.name}: position (salience)`)];
	const rows = caseDoc.actors.map((a) => [
		{ v: a.name ? `${a.name} (${a.id})` : a.id, csv: a.id },
		{ v: a.capability, digits: 0 },
		...caseDoc.issues.map((i) => {
			const s = a.stances?.[i.id];
			return s ? { v: `${fmt(s.position, 0)} (${fmt(s.salience, 0)})`, csv: `${s.position} (${s.salience})`, cls: "num" } : "–";
		}),
	]);
	return <DataTable id={id} caption="Parties: capability, and position (salience) on each issue" head={head} rows={rows} />;
}

export function ForecastsView({ caseId, caseDoc, doc }) {
	return (
		<>
			<section aria-labelledby="h-forecasts">
				<div class="title-row">
					<h2 id="h-forecasts">Forecasts</h2>
					<a class="button" href={`/api/v1/cases/${encodeURIComponent(caseId)}/report`} download={`${caseId}-report.html`}>Download the HTML report</a>
				</div>
				{caseDoc.period && <p class="muted period">{caseDoc.period}</p>}
				<p class="hint">Change a judgement in <a href={hrefWith({ view: "editor" })}>Edit the case</a> and see what moves;
					see how sure the forecasts are in <a href={hrefWith({ view: "sweep" })}>Sweep</a>; compare what-ifs in <a href={hrefWith({ view: "scenarios" })}>Scenarios</a>;
					check the parties' commitments in <a href={hrefWith({ view: "ledger" })}>Ledger</a>.</p>
				<ForecastTable caseDoc={caseDoc} doc={doc} />
				<ForecastChart caseDoc={caseDoc} doc={doc} />
				<Notes doc={doc} caseDoc={caseDoc} />
			</section>
			<section aria-labelledby="h-parties">
				<h2 id="h-parties">Parties</h2>
				<PartiesTable caseDoc={caseDoc} />
			</section>
			<IssueScales caseDoc={caseDoc} />
		</>
	);
}
