// Trajectories: a dynamic engine's rounds (POST /api/v1/forecast with
// trace): per issue one line per actor and the forecast, and a round slider
// that shows where every actor stands at that round; for the exchange
// engine, the trades of that round that moved the issue (the document's
// exchanges).  ?engine, ?issue and ?round hold the choice.
import { useCallback, useEffect, useState } from "preact/hooks";
import * as api from "../api.js";
import { setParams } from "../url.js";
import { ChartBox, DataTable, ErrorBox, Loading, colourOf, fmt } from "../ui.jsx";
import { nearestAnchor } from "./forecasts.jsx";

export function TrajectoriesView({ caseId, caseDoc, params }) {
	const [engines, setEngines] = useState(null);
	const [doc, setDoc] = useState(null);
	const [err, setErr] = useState(null);
	useEffect(() => { api.cached("engines", () => api.get("/engines")).then((d) => setEngines(d.engines.filter((e) => e.dynamic)), setErr); }, []);
	const engine = params.engine && engines?.some((e) => e.name === params.engine) ? params.engine : engines?.[0]?.name;
	const issueId = caseDoc.issues.some((i) => i.id === params.issue) ? params.issue : caseDoc.issues[0].id;
	useEffect(() => {
		if (!engine) return;
		setDoc(null);
		setErr(null);
		api.cached(`trace:${caseId}:${engine}`, () => api.post("/forecast", { case: caseId, engine, trace: true })).then(setDoc, setErr);
	}, [caseId, engine]);
	if (err) return <ErrorBox error={err} />;
	if (!engines || (engine && !doc)) return <Loading what="the rounds" />;
	if (!engine) return <p>No dynamic engine is built in.</p>;
	const issue = caseDoc.issues.find((i) => i.id === issueId);
	const out = doc.results[0].outcomes.find((o) => o.issue === issueId);
	const traj = out?.trajectory || [];
	const last = traj.length ? traj[traj.length - 1].round : 0;
	const round = Math.min(Math.max(0, Number(params.round ?? last)), last);
	const at = traj.find((t) => t.round === round) || traj[traj.length - 1];
	return (
		<section aria-labelledby="h-traj">
			<h2 id="h-traj">Round by round</h2>
			<div class="row">
				<label>Engine
					<select value={engine} onChange={(e) => setParams({ engine: e.currentTarget.value, round: null })}>
						{engines.map((e) => <option value={e.name}>{e.name} — {e.summary}</option>)}
					</select>
				</label>
				<label>Issue
					<select value={issueId} onChange={(e) => setParams({ issue: e.currentTarget.value, round: null })}>
						{caseDoc.issues.map((i) => <option value={i.id}>{i.name}</option>)}
					</select>
				</label>
			</div>
			{!traj.length ? <p class="muted">{out?.note || "This engine gives no rounds for this issue."}</p> : (
				<>
					<div class="row slider">
						<label for="round">Round {round} of {last}</label>
						<input id="round" type="range" min="0" max={last} step="1" value={round}
							onInput={(e) => setParams({ round: e.currentTarget.value }, { push: false })} aria-valuetext={`round ${round} of ${last}`} />
						<span>forecast at round {round}: <b>{fmt(at.forecast)}</b>{nearestAnchor(issue, at.forecast) ? ` (near “${nearestAnchor(issue, at.forecast).label}”)` : ""}</span>
					</div>
					<TrajChart key={issueId + engine} issue={issue} out={out} round={round} />
					<DataTable id={"round-" + issueId} caption={`Positions at round ${round}`} head={["party", "position", "moved since round 0"]}
						rows={out.actors.map((a, k) => [a, at.positions[k], { v: at.positions[k] - traj[0].positions[k], digits: 1 }])} />
					{engine === "exchange" && <Trades exchanges={doc.results[0].exchanges || []} caseDoc={caseDoc} issue={issue} round={round} />}
					{out.note && <p class="muted">{engine}: {out.note}</p>}
				</>
			)}
		</section>
	);
}

// The exchange engine's trades of one round that moved this issue, in the
// order they were made: who gave ground on it and how far, who moved in
// return on which issue, and what each gained.
function Trades({ exchanges, caseDoc, issue, round }) {
	if (round === 0) return <p class="muted">Round 0 is where the parties start: move the slider to a round to see the trades made in it.</p>;
	const all = exchanges.filter((x) => x.round === round);
	const here = all.filter((x) => x.actors.some((a) => a.gives_on === issue.id));
	const name = (id) => caseDoc.issues.find((i) => i.id === id)?.name ?? id;
	const rows = here.map((x) => {
		const k = x.actors.findIndex((a) => a.gives_on === issue.id), s = x.actors[k], o = x.actors[1 - k];
		return [{ v: all.indexOf(x) + 1, digits: 0 }, s.actor, `${fmt(s.from)} → ${fmt(s.to)}`, o.actor, name(o.gives_on),
			`${fmt(o.from)} → ${fmt(o.to)}`, { v: s.gain, digits: 3 }, { v: o.gain, digits: 3 }];
	});
	return <DataTable id={"exchanges-" + issue.id}
		caption={`Trades of round ${round} that moved ${issue.name}: ${here.length} of the round's ${all.length}, in the order made (#)`}
		head={["#", "gave ground here", "from → to", "in return", "moving on", "from → to", "its gain", "the other's gain"]} rows={rows} />;
}

function TrajChart({ issue, out, round }) {
	const config = useCallback(() => {
		const traj = out.trajectory;
		return {
			type: "line",
			data: {
				labels: traj.map((t) => t.round),
				datasets: [
					...out.actors.map((a, k) => ({ label: a, data: traj.map((t) => t.positions[k]), borderColor: colourOf(k), backgroundColor: colourOf(k), pointRadius: 2, borderWidth: 2 })),
					{ label: "forecast", data: traj.map((t) => t.forecast), borderColor: "#000", backgroundColor: "#000", borderDash: [6, 4], borderWidth: 3, pointRadius: 0 },
				],
			},
			options: {
				scales: { y: { min: issue.scale?.min ?? 0, max: issue.scale?.max ?? 100, title: { display: true, text: "position" } }, x: { title: { display: true, text: "round" } } },
				plugins: { legend: { position: "right", labels: { usePointStyle: true, pointStyle: "line" } } },
			},
			plugins: [{
				id: "round-marker",
				afterDatasetsDraw(chart) {
					const x = chart.scales.x.getPixelForValue(round), { top, bottom } = chart.chartArea, c = chart.ctx;
					c.save(); c.strokeStyle = "#f28f3b"; c.lineWidth = 2; c.beginPath(); c.moveTo(x, top); c.lineTo(x, bottom); c.stroke(); c.restore();
				},
			}],
		};
	}, [issue, out, round]);
	return <ChartBox id={"trajectory-" + issue.id} title={`${issue.name}: positions by round`} config={config} height={340}
		desc={`Each party's position on ${issue.name} at every round, and the forecast (dashed)`} />;
}
