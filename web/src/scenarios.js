// scenarios.js - named what-ifs: a name given to a case version (an id the
// server holds), kept in this browser.  The address of a comparison holds
// the two ids, so it can be shared; the names are the reader's own labels.
const KEY = "parley.scenarios";

export function scenarios() {
	try {
		return JSON.parse(localStorage.getItem(KEY)) || [];
	} catch (e) {
		return [];
	}
}

export function saveScenario(name, id, base) {
	const list = scenarios().filter((s) => s.name !== name);
	list.push({ name, id, base, at: Date.now() });
	localStorage.setItem(KEY, JSON.stringify(list));
}

export function removeScenario(name) {
	localStorage.setItem(KEY, JSON.stringify(scenarios().filter((s) => s.name !== name)));
}

export const nameOf = (id) => (scenarios().find((s) => s.id === id) || {}).name;
