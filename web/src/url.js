// url.js - the view's state lives in the address (?case=ID&view=...), so a
// view can be shared by copying the address, and Back/Forward move through
// the views and the case versions.
import { useEffect, useState } from "preact/hooks";

export const DEFAULT_CASE = "korea-six-party";

export function readParams() {
	const q = new URLSearchParams(location.search);
	const out = {};
	for (const [k, v] of q) out[k] = v;
	return out;
}

let listeners = [];

// patch: names to set (null removes); push: a new history entry (Back
// returns to the previous state) or replace the current one.
export function setParams(patch, { push = true } = {}) {
	const q = new URLSearchParams(location.search);
	for (const [k, v] of Object.entries(patch)) {
		if (v === null || v === undefined || v === "") q.delete(k);
		else q.set(k, String(v));
	}
	const s = q.toString();
	const url = location.pathname + (s ? "?" + s : "");
	if (url === location.pathname + location.search) return;
	if (push) history.pushState(null, "", url);
	else history.replaceState(null, "", url);
	for (const f of listeners) f();
}

export function hrefWith(patch) {
	const q = new URLSearchParams(location.search);
	for (const [k, v] of Object.entries(patch)) {
		if (v === null || v === undefined || v === "") q.delete(k);
		else q.set(k, String(v));
	}
	const s = q.toString();
	return location.pathname + (s ? "?" + s : "");
}

export function useParams() {
	const [p, setP] = useState(readParams);
	useEffect(() => {
		const f = () => setP(readParams());
		listeners.push(f);
		addEventListener("popstate", f);
		return () => {
			listeners = listeners.filter((g) => g !== f);
			removeEventListener("popstate", f);
		};
	}, []);
	return p;
}
