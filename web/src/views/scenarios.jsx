// Scenarios: named what-ifs (case versions) compared side by side, issue by
// issue (every engine's forecast under A and under B) and actor by actor
// (the judgements that differ).  ?a=ID&b=ID hold the pair.
import { useCallback, useEffect, useState } from "preact/hooks";
import * as api from "../api.js";
import { setParams, DEFAULT_CASE } from "../url.js";
import { scenarios, saveScenario, removeScenario, nameOf } from "../scenarios.js";
import { ChartBox, DataTable, ErrorBox, Loading, colourOf, fmt, wrapLabel } from "../ui.jsx";
import { forecastRows } from "./forecasts.jsx";
import { parentOf } from "../versions.js";

export function SaveScenario({ caseId }) {
	const [name, setName] = useState("");
	const [saved, setSaved] = useState(nameOf(caseId) || "");
	useEffect(() => setSaved(nameOf(caseId) || ""), [caseId]);
	const save = (e) => {
		e.preventDefault();
		const n = name.trim();
		if (!n) return;
		let root = caseId, p;
		while ((p = parentOf(root))) root = p.parent;
		saveScenario(n, caseId, root);
		setSaved(n);
		setName("");
	};
	return (
		<form class="row save-scenario" onSubmit={save}>
			<label>Save this version as a scenario named
				<input type="text" value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. China cares less" />
			</label>
			<button type="submit" disabled={!name.trim()}>Save scenario</button>
			{saved && <span class="badge" role="status">saved as “{saved}”</span>}
		</form>
	);
}

const label = (id) => (nameOf(id) ? `${nameOf(id)} (${id.slice(0, 8)})` : id);

function Picker({ which, value, options, onPick }) {
	return (
		<label>Scenario {which}
			<select value={value} onChange={(e) => onPick(e.currentTarget.value)}>
				{options.map((o) => <option value={o.id}>{o.label}</option>)}
			</select>
		</label>
	);
}

export function ScenariosView({ caseId, params }) {
	const [list, setList] = useState(scenarios);
	const [cases, setCases] = useState([]);
	useEffect(() => { api.get("/cases").then((d) => setCases(d.cases.filter((c) => c.source === "shipped")), () => {}); }, []);
	const a = params.a || (list[0] && list[1] ? list[0].id : DEFAULT_CASE);
	const b = params.b || (list.length ? list[list.length - 1].id : caseId);
	const options = [...list.map((s) => ({ id: s.id, label: `${s.name} (${s.id.slice(0, 8)})` })),
		...cases.map((c) => ({ id: c.id, label: `${c.title} (shipped)` }))];
	for (const id of [a, b, caseId]) if (!options.some((o) => o.id === id)) options.push({ id, label: label(id) });
	return (
		<>
			<section aria-labelledby="h-scen">
				<h2 id="h-scen">Scenarios</h2>
				<p class="muted">A scenario is a version of a case with changed judgements (make one in “Edit the case”, then save it by name). Pick two to compare.</p>
				<div class="row">
					<Picker which="A" value={a} options={options} onPick={(v) => setParams({ a: v, b })} />
					<Picker which="B" value={b} options={options} onPick={(v) => setParams({ a, b: v })} />
					<button type="button" onClick={() => setParams({ a: b, b: a })}>Swap A and B</button>
				</div>
				{list.length > 0 && (
					<details class="notes">
						<summary>Saved scenarios ({list.length})</summary>
						<ul>{list.map((s) => (
							<li>{s.name}: <a href={`?case=${s.id}`}>{s.id}</a> (from {s.base}) <button type="button" class="tools" onClick={() => { removeScenario(s.name); setList(scenarios()); }} aria-label={`Forget the scenario ${s.name}`}>forget</button></li>
						))}</ul>
					</details>
				)}
			</section>
			<Comparison a={a} b={b} />
		</>
	);
}

function Comparison({ a, b }) {
	const [st, setSt] = useState(null);
	const [err, setErr] = useState(null);
	useEffect(() => {
		setSt(null);
		setErr(null);
		Promise.all([api.getCase(a), api.getCase(b), api.forecastAll(a), api.forecastAll(b)])
			.then(([ca, cb, fa, fb]) => setSt({ ca, cb, fa, fb }), setErr);
	}, [a, b]);
	if (err) return <ErrorBox error={err} />;
	if (!st) return <Loading what="the two scenarios" />;
	const { ca, cb, fa, fb } = st;
	const issues = ca.issues.filter((i) => cb.issues.some((j) => j.id === i.id));
	const ra = forecastRows(ca, fa), rb = forecastRows(cb, fb);
	const engines = fa.results.map((r) => r.engine).filter((e) => fb.results.some((r) => r.engine === e));
	const head = ["issue", "engine", "A", "B", "B − A"];
	const rows = issues.flatMap((iss) => engines.map((e, k) => {
		const x = ra[iss.id]?.[e]?.forecast ?? null, y = rb[iss.id]?.[e]?.forecast ?? null;
		const d = x === null || y === null ? null : y - x;
		return [{ v: k === 0 ? iss.name : "", csv: iss.id, cls: k === 0 ? "group" : "cont" }, e, x, y,
			{ v: d === null ? "–" : (Math.abs(d) < 0.05 ? "0.0" : (d > 0 ? "+" : "−") + fmt(Math.abs(d))), csv: d ?? "",
				cls: d === null || Math.abs(d) < 0.05 ? "num" : "num changed" }];
	}));
	return (
		<section aria-labelledby="h-cmp">
			<h2 id="h-cmp">A: {label(a)} — B: {label(b)}</h2>
			<h3>Issue by issue</h3>
			<div class="two">
				<DataTable id="scenario-issues" caption="Every engine's forecast under A and under B" head={head} rows={rows} />
				<DiffChart issues={issues} engines={engines} ra={ra} rb={rb} />
			</div>
			<h3>Actor by actor</h3>
			<ActorDiff ca={ca} cb={cb} />
		</section>
	);
}

function DiffChart({ issues, engines, ra, rb }) {
	const config = useCallback(() => ({
		type: "bar",
		data: {
			labels: issues.map((i) => wrapLabel(i.name)),
			datasets: engines.map((e, k) => ({
				label: e, backgroundColor: colourOf(k),
				data: issues.map((i) => {
					const x = ra[i.id]?.[e]?.forecast, y = rb[i.id]?.[e]?.forecast;
					return x === undefined || y === undefined || x === null || y === null ? null : y - x;
				}),
			})),
		},
		options: {
			indexAxis: "y",
			plugins: { legend: { position: "bottom" } },
			scales: { x: { title: { display: true, text: "forecast under B minus under A" } }, y: { ticks: { autoSkip: false } } },
		},
	}), [issues, engines, ra, rb]);
	return <ChartBox id="scenario-diff" title="What moves from A to B, by engine" config={config} height={90 + 60 * issues.length}
		desc="Bars: each engine's forecast under scenario B minus under scenario A, per issue" />;
}

function ActorDiff({ ca, cb }) {
	const rows = [];
	for (const x of ca.actors) {
		const y = cb.actors.find((z) => z.id === x.id);
		if (!y) { rows.push([x.id, "only in A", "", ""]); continue; }
		const changes = [];
		if (x.capability !== y.capability) changes.push(["capability", x.capability, y.capability]);
		for (const iss of ca.issues) {
			const s = x.stances?.[iss.id], t = y.stances?.[iss.id];
			for (const k of ["position", "salience", "red_line"])
				if ((s?.[k] ?? null) !== (t?.[k] ?? null)) changes.push([`${iss.name}: ${k.replace("_", " ")}`, s?.[k] ?? "–", t?.[k] ?? "–"]);
		}
		if (!changes.length) rows.push([{ v: x.name || x.id, csv: x.id }, "no change", "", ""]);
		for (const [what, va, vb] of changes) rows.push([{ v: x.name || x.id, csv: x.id }, what, { v: va, digits: 0 }, { v: vb, digits: 0, cls: "num changed" }]);
	}
	for (const y of cb.actors) if (!ca.actors.some((x) => x.id === y.id)) rows.push([y.id, "only in B", "", ""]);
	return <DataTable id="scenario-actors" caption="The judgements that differ, party by party" head={["party", "judgement", "A", "B"]} rows={rows} />;
}
