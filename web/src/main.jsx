// main.jsx - the dashboard: a case (?case=ID, the default Korean case when
// none is named) and one view of it (?view=...), all from the server's API.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import * as api from "./api.js";
import { DEFAULT_CASE, useParams, setParams, hrefWith } from "./url.js";
import { ErrorBox, Loading } from "./ui.jsx";
import { ForecastsView } from "./views/forecasts.jsx";
import { EditorView } from "./views/editor.jsx";
import { SweepView } from "./views/sweep.jsx";
import { ScenariosView } from "./views/scenarios.jsx";
import { LedgerView } from "./views/ledger.jsx";
import { TrajectoriesView } from "./views/trajectories.jsx";
import { GameView } from "./views/game.jsx";

export const VIEWS = [
	{ id: "forecasts", label: "Forecasts", needs: "forecast", View: ForecastsView },
	{ id: "editor", label: "Edit the case", needs: "forecast", View: EditorView },
	{ id: "trajectories", label: "Rounds", needs: null, View: TrajectoriesView },
	{ id: "sweep", label: "Sweep", needs: null, View: SweepView },
	{ id: "scenarios", label: "Scenarios", needs: null, View: ScenariosView },
	{ id: "game", label: "Game", needs: null, View: GameView },
	{ id: "ledger", label: "Ledger", needs: null, View: LedgerView },
];

// The last value stays (with the key it was made for) while the next one
// loads, so that a view stays on the screen, and its focus, during a reload.
function usePromise(make, deps) {
	const [st, setSt] = useState({ value: null, key: null, error: null, loading: true });
	const key = JSON.stringify(deps);
	useEffect(() => {
		let live = true;
		setSt((s) => ({ ...s, error: null, loading: true }));
		make().then(
			(value) => live && setSt({ value, key, error: null, loading: false }),
			(error) => live && setSt((s) => ({ ...s, error, loading: false })),
		);
		return () => { live = false; };
	}, deps);
	return st;
}

function CasePicker({ cases, current, title }) {
	const list = cases.filter((c) => c.source === "shipped" || c.id === current);
	if (!list.some((c) => c.id === current)) list.push({ id: current, title: title || current });
	return (
		<label class="case-picker">
			<span>Case</span>
			<select value={current} onChange={(e) => setParams({ case: e.currentTarget.value, job: null, a: null, b: null })}>
				{list.map((c) => (
					<option value={c.id}>{c.source === "shipped" ? c.title : `${c.title || c.id} (version ${c.id.slice(0, 8)})`}</option>
				))}
			</select>
		</label>
	);
}

function Nav({ view }) {
	const go = (e, id) => {
		if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
		e.preventDefault();
		setParams({ view: id === "forecasts" ? null : id });
	};
	return (
		<nav aria-label="Views">
			<ul>
				{VIEWS.map((v) => (
					<li>
						<a href={hrefWith({ view: v.id === "forecasts" ? null : v.id })} aria-current={v.id === view ? "page" : undefined}
							onClick={(e) => go(e, v.id)}>{v.label}</a>
					</li>
				))}
			</ul>
		</nav>
	);
}

function App() {
	const p = useParams();
	const caseId = p.case || DEFAULT_CASE;
	const view = VIEWS.some((v) => v.id === p.view) ? p.view : "forecasts";
	const cases = usePromise(() => api.get("/cases").then((d) => d.cases), []);
	const caseDoc = usePromise(() => api.getCase(caseId), [caseId]);
	const V = VIEWS.find((v) => v.id === view);
	const doc = usePromise(() => (V.needs === "forecast" ? api.forecastAll(caseId) : Promise.resolve(null)), [caseId, V.needs]);
	useEffect(() => {
		if (caseDoc.value) document.title = `${caseDoc.value.title || caseId} — ${V.label} — parley`;
	}, [caseDoc.value, view]);
	return (
		<>
			<header>
				<h1><span class="brand">parley</span> <span class="case-title">{caseDoc.value ? caseDoc.value.title || caseId : caseId}</span></h1>
				{cases.value && <CasePicker cases={cases.value} current={caseId} title={caseDoc.value && caseDoc.value.title} />}
			</header>
			<Nav view={view} />
			<main id="main" tabIndex={-1}>
				<ErrorBox error={caseDoc.error || doc.error || cases.error} />
				{(caseDoc.loading || doc.loading) && !(caseDoc.value && doc.value) ? <Loading what={caseDoc.loading ? "the case" : "the forecasts"} /> : null}
				{caseDoc.value && (doc.value || V.needs !== "forecast") && !caseDoc.error && !doc.error && (
					<div class={caseDoc.loading || doc.loading ? "stale" : ""} aria-busy={caseDoc.loading || doc.loading ? "true" : "false"}>
						<V.View caseId={caseDoc.key && JSON.parse(caseDoc.key)[0]} caseDoc={caseDoc.value} doc={doc.value} params={p} />
					</div>
				)}
			</main>
			<footer>
				<span>Case {caseId}</span>
				{doc.value && <span> · sha256 {doc.value.case?.sha256?.slice(0, 16)}… · parley {doc.value.parley}</span>}
			</footer>
		</>
	);
}

render(<App />, document.getElementById("app"));
