// The ledger: the parties' permanent channel (GET /api/v1/ledger/...): a
// timeline of commitments and verifications per channel, the entries, and a
// verify button that checks an entry's bundle (inclusion proof, checkpoint
// signature, author's signature) in this browser (verify.js) against the
// log's verifier key, so that the reader need not trust the server.
import { useCallback, useEffect, useState } from "preact/hooks";
import * as api from "../api.js";
import { setParams } from "../url.js";
import { ChartBox, DataTable, ErrorBox, Loading, colourOf, pointStyle } from "../ui.jsx";
import { verifyBundle, parseNote, hex, parseSecretKey, signedHeaders } from "../verify.js";

const KINDS = ["party", "channel", "commitment", "verification", "statement", "withdrawal"];
const TRUSTED = "parley.logkey";

// A GET as the party whose key is given (signed in the page), else unsigned.
const getAs = (signer, path) => api.get(path, signer ? signedHeaders(signer, "GET", "/api/v1" + path.split("?")[0]) : {});

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
	const [signer, setSigner] = useState(null);
	useEffect(() => {
		setErr(null);
		setLog(null);
		(async () => {
			const note = await api.get("/ledger/checkpoint");
			const vkey = (await api.get("/ledger/log-key")).trim();
			const cp = parseNote(note);
			const from = Math.max(0, cp.size - 300);
			const entries = await Promise.all(Array.from({ length: cp.size - from }, (_, k) => getAs(signer, `/ledger/entries/${from + k}`)));
			return { note, vkey, cp, entries };
		})().then(setLog, setErr);
	}, [signer]);
	if (err) return <ErrorBox error={err} />;
	if (!log) return <Loading what="the ledger" />;
	const sel = params.entry !== undefined ? Number(params.entry) : null;
	return (
		<>
			<section aria-labelledby="h-ledger">
				<h2 id="h-ledger">The permanent channel</h2>
				<p>Log <b>{log.cp.origin}</b>: {log.cp.size} entries; root hash <span class="mono">{hex(log.cp.root)}</span>; signed by {log.cp.sigs.map((s) => s.name).join(", ")}.</p>
				<ViewAs signer={signer} setSigner={setSigner} />
				<Timeline entries={log.entries} />
				<Entries entries={log.entries} sel={sel} />
			</section>
			<Trust signer={signer} entries={log.entries} />
			{sel !== null && <VerifyPanel key={`${sel}:${signer ? signer.name : ""}`} index={sel} served={log.vkey} signer={signer} />}
		</>
	);
}

// A party reads its private channels by signing its requests in the page
// with its secret key, which never leaves the page.
function ViewAs({ signer, setSigner }) {
	const [text, setText] = useState("");
	const [err, setErr] = useState(null);
	const use = (e) => {
		e.preventDefault();
		try {
			setSigner(parseSecretKey(text));
			setText("");
			setErr(null);
		} catch (x) {
			setErr(x);
		}
	};
	if (signer)
		return (
			<p class="row viewas">
				<span class="badge" role="status">Viewing as {signer.name}: its private channels are shown</span>
				<button type="button" onClick={() => setSigner(null)}>View as the public</button>
			</p>
		);
	return (
		<details class="notes">
			<summary>View as a party (its private channels)</summary>
			<form class="row" onSubmit={use}>
				<label>The party's secret key (the contents of its .key file; it stays in this page and signs its requests)
					<input type="password" class="mono wide" value={text} onInput={(e) => setText(e.currentTarget.value)} autocomplete="off" />
				</label>
				<button type="submit" disabled={!text.trim()}>View as this party</button>
			</form>
			<ErrorBox error={err} />
		</details>
	);
}

// Trust per party over time: the status document (GET
// /api/v1/ledger/status) as of each day an entry was made.
function Trust({ signer, entries }) {
	const [st, setSt] = useState(null);
	const [err, setErr] = useState(null);
	useEffect(() => {
		setSt(null);
		setErr(null);
		const days = [...new Set(entries.filter((e) => ["commitment", "verification", "withdrawal"].includes(e.record.kind))
			.map((e) => e.record.time.slice(0, 10)))].sort();
		Promise.all(days.map((d) => getAs(signer, `/ledger/status?as_of=${d}T23:59:59Z`)))
			.then((docs) => setSt({ days, docs, last: docs[docs.length - 1] || null }), setErr);
	}, [signer, entries]);
	if (err) return <ErrorBox error={err} />;
	if (!st) return <Loading what="the parties' trust" />;
	if (!st.last) return null;
	const parties = st.last.trust.map((t) => t.party);
	return (
		<section aria-labelledby="h-trust">
			<h2 id="h-trust">Trust per party{signer ? ` (as ${signer.name} sees it)` : " (public channel)"}</h2>
			<p class="muted">A party's trust is the expected share of its commitments it keeps, from the verifications reported on them, recent ones weighing more (docs/ledger.md). {signer ? "" : "Unsigned, only the public channel's commitments count: view as a party to see its channels."}</p>
			<TrustChart st={st} parties={parties} />
			<DataTable id="trust" caption={`Trust as of ${st.days[st.days.length - 1]}`} head={["party", "trust", "kept", "broken", "open"]}
				rows={st.last.trust.map((t) => [t.party, { v: t.trust, digits: 2 }, { v: t.kept, digits: 0 }, { v: t.broken, digits: 0 }, { v: t.open, digits: 0 }])} />
			{st.last.commitments.length > 0 && (
				<DataTable id="commitments" caption="Commitments and their state" head={["#", "party", "channel", "action", "deadline", "state", "since"]}
					rows={st.last.commitments.map((c) => [String(c.index), c.party, c.channel, c.action || "(private)", (c.deadline || "").slice(0, 10), c.state, (c.since || "").slice(0, 10)])} />
			)}
		</section>
	);
}

function TrustChart({ st, parties }) {
	const config = useCallback(() => ({
		type: "line",
		data: {
			datasets: parties.map((p, k) => ({
				label: p, borderColor: colourOf(k), backgroundColor: colourOf(k), pointRadius: 3, borderWidth: 2, stepped: true,
				data: st.days.map((d, i) => ({ x: Date.parse(d), y: (st.docs[i].trust.find((t) => t.party === p) || {}).trust ?? null })),
			})),
		},
		options: {
			scales: {
				x: { type: "linear", ticks: { callback: (v) => new Date(v).toISOString().slice(0, 7) }, title: { display: true, text: "as of" } },
				y: { min: 0, max: 1, title: { display: true, text: "trust" } },
			},
			plugins: { legend: { position: "right" } },
		},
	}), [st, parties]);
	return <ChartBox id="trust-over-time" title="Trust per party over time" config={config} height={300}
		desc="Each party's trust score as of each day a commitment or verification was made; the table below gives the latest" />;
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

function VerifyPanel({ index, served, signer }) {
	const [text, setText] = useState("");
	const [key, setKey] = useState(() => localStorage.getItem(TRUSTED) || served);
	const [steps, setSteps] = useState(null);
	const [err, setErr] = useState(null);
	useEffect(() => {
		getAs(signer, `/ledger/entries/${index}/bundle`).then((b) => setText(JSON.stringify(b, null, 2)), setErr);
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
