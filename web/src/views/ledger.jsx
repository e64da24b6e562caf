// The ledger: the parties' permanent channel (GET /api/v1/ledger/...): a
// timeline of commitments and verifications per channel, the entries, and a
// verify button that checks an entry's bundle (inclusion proof, checkpoint
// signature, author's signature) in this browser (verify.js) against the
// log's verifier key, so that the reader need not trust the server.
import { useCallback, useEffect, useState } from "preact/hooks";
import * as api from "../api.js";
import { setParams } from "../url.js";
import { ChartBox, DataTable, ErrorBox, Loading, colourOf, pointStyle } from "../ui.jsx";
import { verifyBundle, parseNote, hex } from "../verify.js";

const KINDS = ["party", "channel", "commitment", "verification", "statement", "withdrawal"];
const TRUSTED = "parley.logkey";

function summary(e) {
	const b = e.body;
	if (!b) return "(private to the channel's members)";
	switch (e.record.kind) {
	case "party": return `registers ${b.id}: ${b.name} (${b.role})`;
	case "channel": return `opens ${b.id}: ${b.name} (${(b.members || []).join(", ")})`;
	case "commitment": return b.action + (b.deadline ? ` (by ${b.deadline.slice(0, 10)})` : "");
	case "verification": return `${b.result}: ${String(b.commitment || "").slice(0, 12)}…` + (b.note ? ` — ${b.note}` : "");
	default: return b.text || b.note || b.action || JSON.stringify(b).slice(0, 120);
	}
}

export function LedgerView({ params }) {
	const [log, setLog] = useState(null);
	const [err, setErr] = useState(null);
	useEffect(() => {
		(async () => {
			const note = await api.get("/ledger/checkpoint");
			const vkey = (await api.get("/ledger/log-key")).trim();
			const cp = parseNote(note);
			const from = Math.max(0, cp.size - 300);
			const entries = await Promise.all(Array.from({ length: cp.size - from }, (_, k) => api.get(`/ledger/entries/${from + k}`)));
			return { note, vkey, cp, entries };
		})().then(setLog, setErr);
	}, []);
	if (err) return <ErrorBox error={err} />;
	if (!log) return <Loading what="the ledger" />;
	const sel = params.entry !== undefined ? Number(params.entry) : null;
	return (
		<>
			<section aria-labelledby="h-ledger">
				<h2 id="h-ledger">The permanent channel</h2>
				<p>Log <b>{log.cp.origin}</b>: {log.cp.size} entries; root hash <span class="mono">{hex(log.cp.root)}</span>; signed by {log.cp.sigs.map((s) => s.name).join(", ")}.</p>
				<Timeline entries={log.entries} />
				<Entries entries={log.entries} sel={sel} />
			</section>
			{sel !== null && <VerifyPanel key={sel} index={sel} served={log.vkey} entry={log.entries.find((e) => e.index === sel)} />}
		</>
	);
}

function Timeline({ entries }) {
	const config = useCallback(() => {
		const channels = [...new Set(entries.map((e) => e.record.channel))];
		const kinds = KINDS.filter((k) => entries.some((e) => e.record.kind === k));
		return {
			type: "scatter",
			data: {
				datasets: kinds.map((k) => ({
					label: k, backgroundColor: colourOf(KINDS.indexOf(k)), borderColor: "#1a1a1a", borderWidth: 1,
					...pointStyle(KINDS.indexOf(k)), pointRadius: 7,
					data: entries.filter((e) => e.record.kind === k).map((e) => ({ x: Date.parse(e.record.time), y: channels.indexOf(e.record.channel), e })),
				})),
			},
			options: {
				scales: {
					x: { type: "linear", title: { display: true, text: "time of the entry" }, ticks: { callback: (v) => new Date(v).toISOString().slice(0, 7) } },
					y: { min: -0.5, max: channels.length - 0.5, reverse: true, afterBuildTicks: (ax) => { ax.ticks = channels.map((_, k) => ({ value: k })); },
						ticks: { callback: (v) => channels[v] ?? "" }, title: { display: true, text: "channel" } },
				},
				plugins: {
					legend: { position: "bottom", labels: { usePointStyle: true } },
					tooltip: { callbacks: { label: (c) => `#${c.raw.e.index} ${c.raw.e.record.time.slice(0, 10)} ${c.raw.e.record.author} ${c.raw.e.record.kind}: ${summary(c.raw.e)}` } },
				},
				onClick: (_, els, chart) => { if (els[0]) setParams({ entry: chart.data.datasets[els[0].datasetIndex].data[els[0].index].e.index }); },
			},
		};
	}, [entries]);
	return <ChartBox id="ledger-timeline" title="Commitments and verifications per channel over time" config={config}
		height={140 + 40 * new Set(entries.map((e) => e.record.channel)).size} desc="Timeline of the ledger's entries: one row per channel, one mark per entry, by kind; the table below lists them" />;
}

function Entries({ entries, sel }) {
	return (
		<div class="table-wrap ledger-entries">
			<table data-table="ledger-entries">
				<caption>The entries, newest last</caption>
				<thead><tr><th scope="col">#</th><th scope="col">time</th><th scope="col">channel</th><th scope="col">author</th><th scope="col">kind</th><th scope="col">what</th><th scope="col"><span class="sr-only">check</span></th></tr></thead>
				<tbody>
					{entries.map((e) => (
						<tr class={e.index === sel ? "selected" : ""}>
							<th scope="row">{e.index}</th>
							<td>{e.record.time.slice(0, 10)}</td>
							<td>{e.record.channel}</td>
							<td>{e.record.author}</td>
							<td>{e.record.kind}</td>
							<td class="what">{summary(e)}</td>
							<td><button type="button" onClick={() => setParams({ entry: e.index })} aria-label={`Verify entry ${e.index}`}>Verify</button></td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

function VerifyPanel({ index, served, entry }) {
	const [text, setText] = useState("");
	const [key, setKey] = useState(() => localStorage.getItem(TRUSTED) || served);
	const [steps, setSteps] = useState(null);
	const [err, setErr] = useState(null);
	useEffect(() => {
		api.get(`/ledger/entries/${index}/bundle`).then((b) => setText(JSON.stringify(b, null, 2)), setErr);
		setTimeout(() => document.getElementById("h-verify")?.scrollIntoView(), 0);
	}, [index]);
	const run = () => {
		setSteps(verifyBundle(text, key));
		localStorage.setItem(TRUSTED, key.trim());
	};
	const tamper = () => {
		try {
			const b = JSON.parse(text);
			b.entry.leaf = b.entry.leaf.replace(/"time":"(\d{4})/, (m, y) => `"time":"${Number(y) + 1}`);
			setText(JSON.stringify(b, null, 2));
			setSteps(null);
		} catch (e) {
			setErr(e);
		}
	};
	const verdict = steps && steps.every((s) => s.ok !== false);
	return (
		<section aria-labelledby="h-verify" class="verify">
			<h2 id="h-verify" tabIndex={-1}>Verify entry {index} in this browser</h2>
			<p class="muted">The bundle below (the entry, its inclusion proof, its author's registration and a signed checkpoint) is checked here with SHA-256 and Ed25519, against the log's key you trust: nothing is taken on the server's word. Change any character of it and verify again to see a check fail.</p>
			<label class="field">The log's verifier key (compare it with the key the operator gave you)
				<input type="text" class="mono wide" value={key} onInput={(e) => setKey(e.currentTarget.value)} spellcheck={false} />
			</label>
			{key.trim() !== served && <p class="error" role="note">This is not the key the server states ({served}).</p>}
			<label class="field">The bundle
				<textarea class="mono bundle" rows={10} value={text} onInput={(e) => { setText(e.currentTarget.value); setSteps(null); }} spellcheck={false} />
			</label>
			<ErrorBox error={err} />
			<div class="row">
				<button type="button" class="primary" onClick={run} disabled={!text}>Verify</button>
				<button type="button" onClick={tamper} disabled={!text}>Alter the entry's date (to see verification fail)</button>
				<a class="button" href={`/api/v1/ledger/entries/${index}/bundle`} download={`entry-${index}.bundle.json`}>Download the bundle</a>
			</div>
			{steps && (
				<div role="status" aria-live="polite">
					<p class={verdict ? "verdict ok" : "verdict bad"} data-verdict={verdict ? "verified" : "failed"}>
						{verdict ? `✓ Verified: entry ${index} is in the log, signed by its author, under a checkpoint signed by the log's key.` : `✗ Verification failed: this bundle is not what the log signed.`}
					</p>
					<ul class="steps">
						{steps.map((s) => <li class={s.ok === null ? "info" : s.ok ? "ok" : "bad"}><span aria-hidden="true">{s.ok === null ? "•" : s.ok ? "✓" : "✗"}</span> <span class="sr-only">{s.ok === null ? "note" : s.ok ? "passed" : "failed"}:</span> {s.what}<span class="sub">{s.detail}</span></li>)}
					</ul>
				</div>
			)}
		</section>
	);
}
