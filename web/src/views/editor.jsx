// The case editor: actors x issues as a grid of the judgements (position,
// salience, red line; capability; the issues' status quo and known
// outcome), the forums and their members.  Every edit is sent to the server
// as a new case (POST /api/v1/cases); the server's validation message is
// shown at the cell it names, and a valid edit becomes a new case version
// (by hash) that the address then holds, with Undo back to its parent.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import * as api from "../api.js";
import { setParams } from "../url.js";
import { parentOf, remember, childrenOf, lineage } from "../versions.js";
import { DataTable, ErrorBox, fmt } from "../ui.jsx";
import { forecastRows } from "./forecasts.jsx";
import { SaveScenario } from "./scenarios.jsx";

const clone = (x) => JSON.parse(JSON.stringify(x));

// "$.actors[1].stances.nuclear.salience" -> "actors.1.stances.nuclear.salience"
export function cellOfPath(detail) {
	const m = /\$((?:\.[A-Za-z_][\w-]*|\[\d+\])+)/.exec(detail || "");
	if (!m) return null;
	return m[1].replace(/\[(\d+)\]/g, ".$1").replace(/^\./, "");
}

function setAt(obj, path, v) {
	const keys = path.split(".");
	let o = obj;
	for (const k of keys.slice(0, -1)) o = o[k] ??= {};
	o[keys[keys.length - 1]] = v;
}

function getAt(obj, path) {
	return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

// What the user typed, as the case's JSON value: a number where it reads as
// one, else the text as is (the server then says what is wrong with it).
function parseValue(s) {
	if (s.trim() === "") return null;
	const n = Number(s);
	return Number.isFinite(n) ? n : s;
}

function Cell({ path, label, value, error, onEdit, optional }) {
	const [text, setText] = useState(value === undefined || value === null ? "" : String(value));
	const last = useRef(value);
	useEffect(() => {
		if (value !== last.current) {
			last.current = value;
			setText(value === undefined || value === null ? "" : String(value));
		}
	}, [value]);
	const id = "c-" + path.replace(/\./g, "-");
	return (
		<span class="cell">
			<input id={id} type="text" inputMode="decimal" value={text} aria-label={label}
				aria-invalid={error ? "true" : undefined} aria-describedby={error ? id + "-err" : undefined}
				placeholder={optional ? "–" : ""} data-path={path}
				onInput={(e) => { setText(e.currentTarget.value); onEdit(path, e.currentTarget.value); }} />
			{error && <span class="cell-error" id={id + "-err"} role="alert" title={error}>{error.replace(/^\$[^ ]*: /, "")}</span>}
		</span>
	);
}

function what(path, caseDoc) {
	const k = path.split(".");
	if (k[0] === "actors") {
		const a = caseDoc.actors[+k[1]];
		if (k[2] === "capability") return `${a.id} capability`;
		const iss = caseDoc.issues.find((i) => i.id === k[3]);
		return `${a.id} ${k[4].replace("_", " ")} on ${iss ? iss.name : k[3]}`;
	}
	if (k[0] === "issues") return `${caseDoc.issues[+k[1]].name}: ${k.slice(2).join(" ").replace("_", " ")}`;
	if (k[0] === "forums") return `members of ${caseDoc.forums[+k[1]].name || caseDoc.forums[+k[1]].id}`;
	return path;
}

export function EditorView({ caseId, caseDoc, doc }) {
	const [draft, setDraft] = useState(() => clone(caseDoc));
	const [errors, setErrors] = useState({});
	const [general, setGeneral] = useState(null);
	const [status, setStatus] = useState("");
	const timer = useRef(null), seq = useRef(0), pending = useRef(null);
	useEffect(() => {
		setDraft(clone(caseDoc));
	}, [caseDoc]);
	const hasRed = useMemo(() => caseDoc.actors.some((a) => Object.values(a.stances || {}).some((s) => s.red_line !== undefined)), [caseDoc]);
	const hasOutcome = caseDoc.issues.some((i) => i.outcome);
	const parent = parentOf(caseId);
	const redo = childrenOf(caseId)[0];

	const submit = async (next, path) => {
		const mine = ++seq.current;
		setStatus("checking…");
		try {
			const r = await api.post("/cases", next);
			if (mine !== seq.current) return;
			setErrors({});
			setGeneral(null);
			if (r.id === caseId) {
				setStatus("no change");
				return;
			}
			remember(r.id, caseId, what(path, caseDoc));
			setStatus(`saved as version ${r.id.slice(0, 8)}`);
			setParams({ case: r.id });
		} catch (e) {
			if (mine !== seq.current) return;
			const cell = e.status === 400 ? cellOfPath(e.detail) : null;
			if (cell && document.querySelector(`[data-path="${cell}"]`)) {
				setErrors({ [cell]: e.detail.replace(/^request body: /, "") });
				setGeneral(null);
			} else {
				setErrors(path ? { [path]: e.detail } : {});
				setGeneral(e);
			}
			setStatus("not saved: the server refused the edit");
		}
	};
	const onEdit = (path, text) => {
		const next = clone(draft);
		setAt(next, path, parseValue(text));
		setDraft(next);
		pending.current = [next, path];
		clearTimeout(timer.current);
		timer.current = setTimeout(() => submit(...pending.current), 450);
	};
	const toggleMember = (f, actor, on) => {
		const next = clone(draft);
		const m = new Set(next.forums[f].members);
		on ? m.add(actor) : m.delete(actor);
		next.forums[f].members = next.actors.map((a) => a.id).filter((id) => m.has(id));
		setDraft(next);
		clearTimeout(timer.current);
		submit(next, `forums.${f}.members`);
	};

	return (
		<>
			<section aria-labelledby="h-edit">
				<h2 id="h-edit">Edit the judgements</h2>
				<p class="muted">Each change is checked by the server as you type; a valid one becomes a new version of the case (named by the hash of its bytes), and the address follows it.</p>
				<div class="row toolbar">
					<button type="button" disabled={!parent} onClick={() => setParams({ case: parent.parent })}
						title={parent ? `back to ${parent.parent} (undo: ${parent.what})` : "no earlier version made here"}>↶ Undo{parent ? `: ${parent.what}` : ""}</button>
					<button type="button" disabled={!redo} onClick={() => setParams({ case: redo.id })}
						title={redo ? `forward to ${redo.id}` : "nothing to redo"}>↷ Redo</button>
					<span class="badge" aria-live="polite" data-status>{status || `version ${caseId}`}</span>
					<Versions caseId={caseId} />
				</div>
				<ErrorBox error={general} />
				<SaveScenario caseId={caseId} />
				<div class="table-wrap grid-editor">
					<table data-table="editor">
						<caption>Judgements: position and salience{hasRed ? ", red line" : ""} of each party on each issue</caption>
						<thead>
							<tr>
								<th scope="col">party</th>
								<th scope="col">capability</th>
								{draft.issues.map((iss) => <th scope="col">{iss.name}<span class="sub">position · salience{hasRed ? " · red line" : ""}</span></th>)}
							</tr>
						</thead>
						<tbody>
							{draft.actors.map((a, ai) => (
								<tr>
									<th scope="row">{a.name || a.id}<span class="sub">{a.id}</span></th>
									<td><Cell path={`actors.${ai}.capability`} label={`${a.id} capability`} value={a.capability} error={errors[`actors.${ai}.capability`]} onEdit={onEdit} /></td>
									{draft.issues.map((iss) => {
										const p = `actors.${ai}.stances.${iss.id}`;
										if (!a.stances || !a.stances[iss.id]) return <td class="muted">not on this issue</td>;
										return (
											<td>
												<span class="pair">
													<Cell path={p + ".position"} label={`${a.id} position on ${iss.name}`} value={a.stances[iss.id].position} error={errors[p + ".position"]} onEdit={onEdit} />
													<Cell path={p + ".salience"} label={`${a.id} salience on ${iss.name}`} value={a.stances[iss.id].salience} error={errors[p + ".salience"]} onEdit={onEdit} />
													{hasRed && <Cell path={p + ".red_line"} optional label={`${a.id} red line on ${iss.name}`} value={a.stances[iss.id].red_line} error={errors[p + ".red_line"]} onEdit={onEdit} />}
												</span>
											</td>
										);
									})}
								</tr>
							))}
						</tbody>
						<tfoot>
							<tr>
								<th scope="row">status quo</th><td></td>
								{draft.issues.map((iss, ii) => <td><Cell path={`issues.${ii}.status_quo`} label={`status quo of ${iss.name}`} value={iss.status_quo} error={errors[`issues.${ii}.status_quo`]} onEdit={onEdit} /></td>)}
							</tr>
							{hasOutcome && (
								<tr>
									<th scope="row">known outcome</th><td></td>
									{draft.issues.map((iss, ii) => <td>{iss.outcome ? <Cell path={`issues.${ii}.outcome.value`} label={`known outcome of ${iss.name}`} value={iss.outcome.value} error={errors[`issues.${ii}.outcome.value`]} onEdit={onEdit} /> : <span class="muted">–</span>}</td>)}
								</tr>
							)}
						</tfoot>
					</table>
				</div>
				<Anchors caseDoc={draft} />
			</section>
			{draft.forums && draft.forums.length > 0 && (
				<section aria-labelledby="h-forums-edit">
					<h2 id="h-forums-edit">Forums and their members</h2>
					<div class="table-wrap">
						<table data-table="forum-members">
							<caption>Who sits at each forum's table</caption>
							<thead><tr><th scope="col">forum</th>{draft.actors.map((a) => <th scope="col">{a.id}</th>)}</tr></thead>
							<tbody>
								{draft.forums.map((f, fi) => (
									<tr>
										<th scope="row">{f.name || f.id}<span class="sub">{f.id}</span>{errors[`forums.${fi}.members`] && <span class="cell-error" role="alert">{errors[`forums.${fi}.members`]}</span>}</th>
										{draft.actors.map((a) => (
											<td class="center"><input type="checkbox" checked={f.members.includes(a.id)} aria-label={`${a.id} is a member of ${f.name || f.id}`}
												onChange={(e) => toggleMember(fi, a.id, e.currentTarget.checked)} /></td>
										))}
									</tr>
								))}
							</tbody>
						</table>
					</div>
				</section>
			)}
			<WhatMoved caseId={caseId} caseDoc={caseDoc} doc={doc} />
			<FilesBox caseId={caseId} caseDoc={caseDoc} />
		</>
	);
}

function Anchors({ caseDoc }) {
	return (
		<details class="notes">
			<summary>The scales' labelled anchors</summary>
			<ul>{caseDoc.issues.map((i) => <li><b>{i.name}</b>: {(i.anchors || []).map((a) => `${a.value} = ${a.label}`).join("; ")}</li>)}</ul>
		</details>
	);
}

function Versions({ caseId }) {
	const l = lineage(caseId);
	if (!l.edits.length) return null;
	return (
		<details class="versions">
			<summary>{l.edits.length} edit{l.edits.length > 1 ? "s" : ""} from {l.root}</summary>
			<ol>
				<li><a href={"?case=" + encodeURIComponent(l.root) + "&view=editor"}>{l.root}</a></li>
				{l.edits.map((e) => <li><a href={"?case=" + e.id + "&view=editor"} aria-current={e.id === caseId ? "true" : undefined}>{e.id.slice(0, 8)}</a>: {e.what}</li>)}
			</ol>
		</details>
	);
}

// The forecasts of this version beside those of the version it was made
// from: what the last edit moved.
function WhatMoved({ caseId, caseDoc, doc }) {
	const parent = parentOf(caseId);
	const [prev, setPrev] = useState(null);
	useEffect(() => {
		setPrev(null);
		if (parent) api.forecastAll(parent.parent).then(setPrev, () => setPrev(null));
	}, [caseId]);
	if (!doc) return null;
	const now = forecastRows(caseDoc, doc), was = prev ? forecastRows(caseDoc, prev) : null;
	const head = ["issue", ...doc.results.map((r) => r.engine)];
	const rows = caseDoc.issues.map((iss) => [
		{ v: iss.name, csv: iss.id },
		...doc.results.map((r) => {
			const v = now[iss.id]?.[r.engine]?.forecast ?? null;
			const w = was?.[iss.id]?.[r.engine]?.forecast;
			if (!was || w === undefined || w === null || v === null) return { v, digits: 1 };
			const d = v - w;
			return { v: Math.abs(d) < 0.05 ? fmt(v) : `${fmt(v)} (${d > 0 ? "+" : "−"}${fmt(Math.abs(d))})`, csv: v,
				cls: Math.abs(d) < 0.05 ? "num" : "num changed", title: `was ${fmt(w)}` };
		}),
	]);
	return (
		<section aria-labelledby="h-moved">
			<h2 id="h-moved">Forecasts of this version</h2>
			{parent && <p class="muted">In brackets: the change from the version before the last edit ({parent.what}).</p>}
			<DataTable id="edited-forecasts" caption="Forecasts of this version, by engine" head={head} rows={rows} />
		</section>
	);
}

const TYPES = { json: "application/json", csv: "text/csv", xml: "application/xml" };

function FilesBox({ caseId, caseDoc }) {
	const [err, setErr] = useState(null);
	const [csvIssue, setCsvIssue] = useState(caseDoc.issues[0].id);
	const [busy, setBusy] = useState(false);
	const upload = async (e) => {
		const f = e.currentTarget.files[0];
		if (!f) return;
		const ext = (f.name.split(".").pop() || "").toLowerCase();
		setErr(null);
		setBusy(true);
		try {
			const text = await f.text();
			const r = await api.post("/cases?name=" + encodeURIComponent(f.name), text, TYPES[ext] || "text/csv");
			setParams({ case: r.id });
		} catch (x) {
			setErr(x);
		} finally {
			setBusy(false);
		}
	};
	return (
		<section aria-labelledby="h-files">
			<h2 id="h-files">Files</h2>
			<p class="muted">The CSV formats hold the judgements only (no notes, anchors or forums); the HTML report is one file that opens offline.</p>
			<div class="row">
				<label>Upload a case (JSON, BDM CSV, KTAB CSV or XML)
					<input type="file" accept=".json,.csv,.xml" onChange={upload} disabled={busy} />
				</label>
				<a class="button" href={"/api/v1/cases/" + encodeURIComponent(caseId)} download={caseId + ".json"}>Download JSON</a>
				<a class="button" href={"/api/v1/cases/" + encodeURIComponent(caseId) + "?format=ktab&rescale=1"} download={caseId + ".ktab.csv"}
					title="KTAB's reader takes saliences adding up to 100 at most: they are divided by one factor where needed">Download KTAB CSV</a>
				<label>One issue as BDM CSV
					<select value={csvIssue} onChange={(e) => setCsvIssue(e.currentTarget.value)}>
						{caseDoc.issues.map((i) => <option value={i.id}>{i.name}</option>)}
					</select>
				</label>
				<a class="button" href={`/api/v1/cases/${encodeURIComponent(caseId)}?format=csv&issue=${encodeURIComponent(csvIssue)}`} download={`${caseId}-${csvIssue}.csv`}>Download CSV</a>
				<a class="button" href={`/api/v1/cases/${encodeURIComponent(caseId)}/report`} download={`${caseId}-report.html`}>Download the HTML report</a>
			</div>
			<ErrorBox error={err} />
		</section>
	);
}
