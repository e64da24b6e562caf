// api.js - the dashboard's only way to the server: the JSON API under
// /api/v1 (docs/api/openapi.json).  Errors are the server's problem details;
// their `detail` names the JSON path or line and the rule, and is shown as is.

export class Problem extends Error {
	constructor(status, detail, title) {
		super(detail || title || `HTTP ${status}`);
		this.status = status;
		this.detail = detail || title || `HTTP ${status}`;
	}
}

async function answer(res) {
	const type = res.headers.get("Content-Type") || "";
	if (!res.ok) {
		let p = {};
		try {
			p = await res.json();
		} catch (e) {
			/* not a problem document */
		}
		throw new Problem(res.status, p.detail, p.title || res.statusText);
	}
	return type.includes("json") ? res.json() : res.text();
}

// headers: more request headers (a party's signature, verify.js)
export async function get(path, headers = {}) {
	return answer(await fetch("/api/v1" + path, { headers: { Accept: "application/json", ...headers } }));
}

export async function post(path, body, contentType = "application/json") {
	const res = await fetch("/api/v1" + path, {
		method: "POST",
		headers: { "Content-Type": contentType, Accept: "application/json" },
		body: typeof body === "string" ? body : JSON.stringify(body),
	});
	return answer(res);
}

export async function del(path) {
	return answer(await fetch("/api/v1" + path, { method: "DELETE" }));
}

// Results that depend only on their request are kept for the page's life:
// a forecast of a case version (an id is a hash of its bytes) never changes.
const memo = new Map();
export function cached(key, make) {
	if (!memo.has(key)) {
		const p = make();
		memo.set(key, p);
		p.catch(() => memo.delete(key));
	}
	return memo.get(key);
}

export const getCase = (id) => cached("case:" + id, () => get("/cases/" + encodeURIComponent(id)));
export const forecastAll = (id) =>
	cached("forecast:" + id, () => post("/forecast", { case: id, engine: "all" }));
