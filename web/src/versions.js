// versions.js - the case versions an edit made in this browser: each edit
// is uploaded as a new case (its id a hash of its bytes), and its parent is
// remembered here, so that Undo goes back one edit and Redo forward again.
const KEY = "parley.versions";

function load() {
	try {
		return JSON.parse(localStorage.getItem(KEY)) || {};
	} catch (e) {
		return {};
	}
}

export function remember(child, parent, what) {
	const m = load();
	if (child === parent) return;
	m[child] = { parent, what, at: Date.now() };
	localStorage.setItem(KEY, JSON.stringify(m));
}

export function parentOf(id) {
	return load()[id] || null;
}

// The versions made from id, newest first.
export function childrenOf(id) {
	const m = load();
	return Object.entries(m).filter(([, v]) => v.parent === id).sort((a, b) => b[1].at - a[1].at).map(([k, v]) => ({ id: k, ...v }));
}

// The chain of edits from the first shipped or uploaded case to id.
export function lineage(id) {
	const out = [];
	const seen = new Set();
	let p = parentOf(id);
	while (p && !seen.has(id)) {
		seen.add(id);
		out.unshift({ id, ...p });
		id = p.parent;
		p = parentOf(id);
	}
	return { root: id, edits: out };
}
