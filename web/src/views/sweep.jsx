// The sweep: a Monte Carlo run over the case's declared uncertainty, started
// as a job on the server (POST /api/v1/sweeps), its progress followed live
// from the job's Server-Sent Events, then drawn: each issue's histogram, the
// probability of reaching the threshold, and a tornado of the sensitivity
// indices.  The job is in the address (?job=ID), so a finished sweep can be
// shared and reopened.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import * as api from "../api.js";
import { setParams } from "../url.js";
import { ChartBox, DataTable, ErrorBox, fmt } from "../ui.jsx";

const HIST = "#1b6ca8", FIRST = "#1b6ca8", TOTAL = "#d1495b"; // report_colours.c

function useEngines() {
	const [e, setE] = useState(null);
	useEffect(() => { api.cached("engines", () => api.get("/engines")).then((d) => setE(d.engines), () => setE([])); }, []);
	return e;
}

export function SweepView({ caseId, caseDoc, params }) {
	const engines = useEngines();
	const [form, setForm] = useState({
		engine: params.engine || "compromise", samples: params.n || "2000", seed: params.seed || "1",
		threshold: params.threshold || "50",
	});
	const [job, setJob] = useState(null);
	const [result, setResult] = useState(null);
	const [err, setErr] = useState(null);
	const source = useRef(null);
	const jobId = params.job;

	const follow = useCallback((id) => {
		if (source.current) source.current.close();
		const es = new EventSource(`/api/v1/jobs/${encodeURIComponent(id)}/events`);
		source.current = es;
		const onJob = (e) => {
			const j = JSON.parse(e.data);
			setJob(j);
			if (j.state === "done") {
				es.close();
				api.get(`/jobs/${encodeURIComponent(id)}/result`).then(setResult, setErr);
			} else if (j.state === "failed" || j.state === "cancelled") es.close();
		};
		es.addEventListener("progress", onJob);
		for (const k of ["done", "failed", "cancelled"]) es.addEventListener(k, onJob);
		es.onerror = () => {
			// the stream ended or broke: ask for the job's state once
			es.close();
			api.get(`/jobs/${encodeURIComponent(id)}`).then((j) => {
				setJob(j);
				if (j.state === "done") api.get(`/jobs/${encodeURIComponent(id)}/result`).then(setResult, setErr);
				else if (j.state === "queued" || j.state === "running") setTimeout(() => follow(id), 1000);
			}, setErr);
		};
	}, []);

	useEffect(() => {
		setResult(null);
		setErr(null);
		setJob(null);
		if (jobId) follow(jobId);
		return () => source.current && source.current.close();
	}, [jobId]);

	const start = async (e) => {
		e.preventDefault();
		setErr(null);
		setResult(null);
		try {
			const body = { case: caseId, engine: form.engine, samples: Number(form.samples), seed: Number(form.seed), sensitivity: "design" };
			if (String(form.threshold).trim() !== "") body.threshold = isNaN(Number(form.threshold)) ? form.threshold : Number(form.threshold);
			const r = await api.post("/sweeps", body);
			setJob({ id: r.job, state: "queued", progress: 0 });
			setParams({ job: r.job, engine: form.engine, n: form.samples, seed: form.seed, threshold: form.threshold });
		} catch (x) {
			setErr(x);
		}
	};
	const cancel = () => job && api.del(`/jobs/${encodeURIComponent(job.id)}`).catch(setErr);
	const running = job && (job.state === "queued" || job.state === "running");
	const pct = job ? Math.round(100 * (job.progress || 0)) : 0;
	const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });

	return (
		<>
			<section aria-labelledby="h-sweep">
				<h2 id="h-sweep">Sweep: how sure is the forecast, and what moves it</h2>
				<p class="muted">Draws the case's judgements from their declared uncertainty, forecasts each draw, and measures which judgements matter (a job on the server).</p>
				<form class="row" onSubmit={start}>
					<label>Engine
						<select value={form.engine} onChange={set("engine")}>
							{(engines || [{ name: form.engine }]).map((e) => <option value={e.name}>{e.name}</option>)}
						</select>
					</label>
					<label>Samples<input type="number" min="1" step="1" value={form.samples} onInput={set("samples")} /></label>
					<label>Seed<input type="number" min="0" step="1" value={form.seed} onInput={set("seed")} /></label>
					<label>Threshold (at least)<input type="text" value={form.threshold} onInput={set("threshold")} aria-describedby="thr-help" /></label>
					<button type="submit" class="primary" disabled={running}>Run the sweep</button>
					{running && <button type="button" onClick={cancel}>Cancel</button>}
				</form>
				<p id="thr-help" class="muted small">A threshold is a value, or ISSUE:VALUE for one issue; the sweep gives the probability of landing at or above it.</p>
				<ErrorBox error={err} />
				{job && (
					<div class="progress-box">
						<label for="sweep-progress">Job {job.id}: {job.state}{running ? "…" : ""}</label>
						<progress id="sweep-progress" max="100" value={pct} aria-valuetext={`${pct} %`}>{pct} %</progress>
						<span class="pct" data-progress={pct}>{pct} %</span>
						{job.state === "failed" && <p class="error" role="alert">{job.error?.detail || job.error || "the job failed"}</p>}
					</div>
				)}
			</section>
			{result && <SweepResult result={result} caseDoc={caseDoc} />}
		</>
	);
}

function SweepResult({ result, caseDoc }) {
	const names = Object.fromEntries(caseDoc.issues.map((i) => [i.id, i.name]));
	const thr = result.issues.some((i) => i.thresholds && i.thresholds.length);
	const head = ["issue", "nominal", "mean", "sd", "5 %", "median", "95 %", ...(thr ? ["P(at least threshold)", "95 % interval"] : [])];
	const rows = result.issues.map((i) => [
		{ v: names[i.issue] || i.issue, csv: i.issue }, i.nominal, i.mean, i.sd, i.quantiles.p05, i.quantiles.p50, i.quantiles.p95,
		...(thr ? (i.thresholds && i.thresholds[0] ? [
			{ v: `${fmt(100 * i.thresholds[0].p, 1)} % (≥ ${i.thresholds[0].at_least})`, csv: i.thresholds[0].p, cls: "num" },
			{ v: `${fmt(100 * i.thresholds[0].ci95[0], 1)}–${fmt(100 * i.thresholds[0].ci95[1], 1)} %`, csv: i.thresholds[0].ci95.join(" "), cls: "num" }] : ["–", "–"]) : []),
	]);
	const [issue, setIssue] = useState(result.issues[0].issue);
	return (
		<section aria-labelledby="h-sweep-result">
			<h2 id="h-sweep-result">{result.samples} samples of {result.engine} (seed {result.seed})</h2>
			<DataTable id="sweep-summary" caption="The forecast's distribution on each issue" head={head} rows={rows} />
			<div class="charts-grid">
				{result.issues.map((i) => <Histogram issue={i} name={names[i.issue] || i.issue} />)}
			</div>
			{result.issues.some((i) => i.sensitivity && i.sensitivity.length) && (
				<>
					<h3>What moves the forecast</h3>
					<label class="row">Issue
						<select value={issue} onChange={(e) => setIssue(e.currentTarget.value)}>
							{result.issues.map((i) => <option value={i.issue}>{names[i.issue] || i.issue}</option>)}
						</select>
					</label>
					<Tornado key={issue} issue={result.issues.find((i) => i.issue === issue)} name={names[issue] || issue} />
				</>
			)}
		</section>
	);
}

function Histogram({ issue, name }) {
	const config = useCallback(() => {
		const h = issue.histogram, n = h.counts.length, w = (h.hi - h.lo) / n;
		const total = h.counts.reduce((a, b) => a + b, 0) || 1;
		return {
			type: "bar",
			data: {
				labels: h.counts.map((_, k) => fmt(h.lo + k * w, 0)),
				datasets: [{ label: "samples", data: h.counts.map((c) => (100 * c) / total), backgroundColor: HIST, barPercentage: 1, categoryPercentage: 1 }],
			},
			options: {
				plugins: { legend: { display: false }, tooltip: { callbacks: { title: (c) => `${fmt(h.lo + c[0].dataIndex * w)} to ${fmt(h.lo + (c[0].dataIndex + 1) * w)}`, label: (c) => `${fmt(c.raw)} % of samples` } } },
				scales: { y: { title: { display: true, text: "% of samples" }, beginAtZero: true }, x: { title: { display: true, text: "forecast (bin start)" } } },
			},
		};
	}, [issue]);
	return <ChartBox id={"hist-" + issue.issue} title={`${name}: forecasts of the samples`} config={config} height={220}
		desc={`Histogram of ${issue.samples} sampled forecasts of ${name}: mean ${fmt(issue.mean)}, 5 % ${fmt(issue.quantiles.p05)}, 95 % ${fmt(issue.quantiles.p95)}`} />;
}

function Tornado({ issue, name }) {
	const top = [...issue.sensitivity].sort((a, b) => b.total - a.total).slice(0, 12);
	const config = useCallback(() => ({
		type: "bar",
		data: {
			labels: top.map((s) => s.factor),
			datasets: [
				{ label: "total ST", data: top.map((s) => s.total), backgroundColor: TOTAL },
				{ label: "first-order S", data: top.map((s) => s.first), backgroundColor: FIRST },
			],
		},
		options: {
			indexAxis: "y",
			plugins: { legend: { position: "bottom" } },
			scales: { x: { title: { display: true, text: "share of the forecast's variance" }, suggestedMin: 0 }, y: { ticks: { autoSkip: false } } },
		},
	}), [issue]);
	return <ChartBox id={"tornado-" + issue.issue} title={`${name}: the judgements that matter most`} config={config}
		height={60 + 26 * top.length} desc={`Sensitivity indices of the ${top.length} most important judgements for ${name}`} />;
}
