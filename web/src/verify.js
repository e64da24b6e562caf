// verify.js - checks a ledger bundle (`parley ledger bundle`, GET
// /api/v1/ledger/entries/N/bundle) in the browser, so that the reader need
// not trust the server: the checkpoint's Ed25519 signature by the log's
// verifier key (C2SP signed note), the entry's and its author's inclusion
// proofs against the checkpoint's root (RFC 9162 2.1.3.2, RFC 6962
// hashing), the author's registration signed by the log, and the entry's
// signature by the author's registered key (docs/ledger.md).  SHA-256 and
// Ed25519 are the audited noble implementations, bundled into the page.
import { sha256 } from "@noble/hashes/sha2.js";
import { ed25519 } from "@noble/curves/ed25519.js";

const enc = new TextEncoder();
const utf8 = (s) => enc.encode(s);

export function b64(s) {
	const bin = atob(s);
	const out = new Uint8Array(bin.length);
	for (let k = 0; k < bin.length; k++) out[k] = bin.charCodeAt(k);
	return out;
}

export const hex = (u) => [...u].map((x) => x.toString(16).padStart(2, "0")).join("");

function cat(...parts) {
	const n = parts.reduce((a, p) => a + p.length, 0);
	const out = new Uint8Array(n);
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

const eq = (a, b) => a.length === b.length && a.every((x, k) => x === b[k]);

export const leafHash = (leaf) => sha256(cat(new Uint8Array([0]), utf8(leaf)));
const node = (l, r) => sha256(cat(new Uint8Array([1]), l, r));

// RFC 9162 2.1.3.2: the root that an inclusion proof of leaf index in a tree
// of size leaves leads to, or null when the proof has the wrong length.
export function rootFromInclusion(index, size, leaf, proof) {
	if (index >= size) return null;
	let fn = BigInt(index), sn = BigInt(size) - 1n, r = leaf;
	for (const p of proof) {
		if (sn === 0n) return null;
		if ((fn & 1n) === 1n || fn === sn) {
			r = node(p, r);
			if ((fn & 1n) === 0n) while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
		} else r = node(r, p);
		fn >>= 1n;
		sn >>= 1n;
	}
	return sn === 0n ? r : null;
}

// "name+hexid+base64(0x01 || key)" -> {name, id, pub}; the id must be
// SHA-256(name || 0x0A || 0x01 || key)[:4].
export function parseVkey(text) {
	const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec((text || "").trim());
	if (!m) throw new Error("a verifier key is name+hexid+base64");
	const raw = b64(m[3]);
	if (raw.length !== 33 || raw[0] !== 1) throw new Error("the verifier key is not an Ed25519 key (0x01 and 32 bytes)");
	const pub = raw.slice(1);
	const id = hex(sha256(cat(utf8(m[1] + "\n"), raw)).slice(0, 4));
	if (id !== m[2]) throw new Error(`the verifier key's id ${m[2]} is not its hash ${id}`);
	return { name: m[1], id, pub };
}

// A C2SP signed note: its text (what is signed) and signature lines.
export function parseNote(note) {
	const cut = note.indexOf("\n\n");
	if (cut < 0) throw new Error("the checkpoint has no blank line before its signatures");
	const text = note.slice(0, cut + 1);
	const sigs = [];
	for (const line of note.slice(cut + 2).split("\n")) {
		if (!line) continue;
		const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
		if (!m) throw new Error(`not a signature line: ${line.slice(0, 60)}`);
		sigs.push({ name: m[1], blob: b64(m[2]) });
	}
	const lines = text.split("\n");
	if (lines.length < 4) throw new Error("a checkpoint is origin, size and root hash");
	return { text, origin: lines[0], size: Number(lines[1]), root: b64(lines[2]), sigs };
}

const entryMessage = (origin, leaf) =>
	utf8("parley-ledger-entry/v1\n" + origin + "\n" + leaf.replace(/,"sig":"[A-Za-z0-9+/=]*"/, ""));

function sigOf(leaf) {
	const m = /"sig":"([A-Za-z0-9+/=]*)"/.exec(leaf);
	return m ? b64(m[1]) : null;
}

function verifySig(sig, msg, pub) {
	try {
		return !!sig && sig.length === 64 && ed25519.verify(sig, msg, pub);
	} catch (e) {
		return false;
	}
}

// The checks of a bundle (its JSON text) against the log's verifier key:
// a list of {what, ok, detail}; the bundle holds when every one is ok.
export function verifyBundle(text, logVkey) {
	const steps = [];
	const step = (what, ok, detail = "") => {
		steps.push({ what, ok: !!ok, detail });
		return ok;
	};
	let b, key, cp;
	try {
		b = JSON.parse(text);
	} catch (e) {
		step("the bundle is JSON", false, e.message);
		return steps;
	}
	try {
		key = parseVkey(logVkey);
		step("the log's verifier key is well formed", true, `${key.name}, key id ${key.id}`);
	} catch (e) {
		step("the log's verifier key is well formed", false, e.message);
		return steps;
	}
	try {
		cp = parseNote(b.checkpoint || "");
	} catch (e) {
		step("the checkpoint is a signed note", false, e.message);
		return steps;
	}
	step("the checkpoint is for this log", cp.origin === b.origin, `origin ${cp.origin}, tree of ${cp.size} entries`);
	const logSig = cp.sigs.find((s) => s.name === key.name);
	step("the checkpoint is signed by the log's key", logSig && logSig.blob.length === 68 && hex(logSig.blob.slice(0, 4)) === key.id &&
		verifySig(logSig.blob.slice(4), utf8(cp.text), key.pub),
		logSig ? `Ed25519 signature by ${key.name}` : `no signature line by ${key.name}`);
	const others = cp.sigs.filter((s) => s !== logSig).map((s) => s.name);
	if (others.length) steps.push({ what: "cosigned by witnesses", ok: null, detail: others.join(", ") + " (their cosignatures are checked by `parley ledger verify --witness`)" });
	const included = (e, what) => {
		const lh = leafHash(e.leaf || "");
		const r = rootFromInclusion(e.index, cp.size, lh, (e.proof || []).map(b64));
		return step(`${what} is in the log at index ${e.index}`, r && eq(r, cp.root),
			`leaf hash ${hex(lh).slice(0, 16)}…, ${(e.proof || []).length} proof hashes to the checkpoint's root`);
	};
	const e = b.entry || {}, a = b.author || {};
	included(e, "the entry");
	let leaf = {}, aleaf = {}, abody = {};
	try { leaf = JSON.parse(e.leaf); } catch (x) { step("the entry's leaf is JSON", false, x.message); }
	try { aleaf = JSON.parse(a.leaf); abody = JSON.parse(a.body); } catch (x) { step("the author's registration is JSON", false, x.message); }
	if (e.body !== null && e.body !== undefined)
		step("the entry's body is the one its leaf hashes", hex(sha256(utf8(e.body))) === leaf.body, "SHA-256 of the body");
	else steps.push({ what: "the entry's body", ok: null, detail: "private to its channel's members: only its hash is in the leaf" });
	included(a, "the author's registration");
	step("the author's registration is the log's, for this author",
		aleaf.author === key.name && aleaf.kind === "party" && abody.id === leaf.author && hex(sha256(utf8(a.body || ""))) === aleaf.body &&
		verifySig(sigOf(a.leaf), entryMessage(b.origin, a.leaf), key.pub),
		`party ${abody.id}, registered by ${aleaf.author}`);
	let akey = null;
	try { akey = parseVkey(abody.key); } catch (x) { step("the author's key is well formed", false, x.message); }
	if (akey)
		step(`the entry is signed by ${leaf.author}'s registered key`, akey.name === leaf.author &&
			verifySig(sigOf(e.leaf), entryMessage(b.origin, e.leaf), akey.pub), `${leaf.kind} of ${leaf.time} in channel ${leaf.channel}`);
	return steps;
}

// A party's secret key file ("PRIVATE+KEY+name+hexid+base64(0x01 || seed)"),
// checked against its key id; it stays in the page's memory.
export function parseSecretKey(text) {
	const m = /^PRIVATE\+KEY\+([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec((text || "").trim());
	if (!m) throw new Error("a secret key file holds PRIVATE+KEY+name+hexid+base64");
	const raw = b64(m[3]);
	if (raw.length !== 33 || raw[0] !== 1) throw new Error("not an Ed25519 secret key (0x01 and a 32-byte seed)");
	const seed = raw.slice(1), pub = ed25519.getPublicKey(seed);
	const id = hex(sha256(cat(utf8(m[1] + "\n"), new Uint8Array([1]), pub)).slice(0, 4));
	if (id !== m[2]) throw new Error(`the key's id ${m[2]} is not its hash ${id}`);
	return { name: m[1], seed };
}

// The headers of a request signed by a party (docs/server.md): Ed25519 over
// "parley-request\nMETHOD\nPATH\nTIME\n".
export function signedHeaders(signer, method, path) {
	const t = Math.floor(Date.now() / 1000);
	const sig = ed25519.sign(utf8(`parley-request\n${method}\n${path}\n${t}\n`), signer.seed);
	return { "Parley-Party": signer.name, "Parley-Time": String(t), "Parley-Signature": btoa(String.fromCharCode(...sig)) };
}
