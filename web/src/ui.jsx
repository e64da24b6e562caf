// ui.jsx - the pieces every view uses: a chart (Chart.js) that can be saved
// as PNG or SVG, a table that can be saved as CSV, the palette (the one of
// `parley report`, so that a thing has the same colour in both), numbers.
import { useEffect, useRef } from "preact/hooks";
import { Chart, registerables } from "chart.js";

Chart.register(...registerables);
Chart.defaults.animation = false;
Chart.defaults.font.family = "system-ui, 'DejaVu Sans', sans-serif";
Chart.defaults.font.size = 13;
Chart.defaults.color = "#1a1a1a";

// src/report/report_colours.c: a colour by position in the list
export const PALETTE = ["#1b6ca8", "#d1495b", "#edae49", "#00798c", "#66a182", "#8d6a9f",
	"#2e4057", "#c97b84", "#6b705c", "#f28f3b"];
export const colourOf = (k) => PALETTE[k % PALETTE.length];
// filled shapes with a dark edge, told apart by shape as well as colour
export const POINT_STYLES = [["circle", 0], ["rectRot", 0], ["triangle", 0], ["rect", 0],
	["triangle", 180], ["rectRounded", 45]];
export const pointStyle = (k) => ({ pointStyle: POINT_STYLES[k % POINT_STYLES.length][0],
	rotation: POINT_STYLES[k % POINT_STYLES.length][1] });

// A chart label as lines of at most `width` characters, broken at spaces
// (Chart.js draws an array as a multi-line label), so that a narrow chart
// does not cut a long issue name.
export function wrapLabel(text, width = 24) {
	const lines = [];
	for (const word of String(text).split(/\s+/)) {
		const last = lines.length - 1;
		if (last >= 0 && lines[last].length + 1 + word.length <= width) lines[last] += " " + word;
		else lines.push(word);
	}
	return lines;
}

export function fmt(x, digits = 1) {
	if (x === null || x === undefined || Number.isNaN(x)) return "–";
	if (typeof x !== "number") return String(x);
	return x.toFixed(digits);
}

export function download(name, blob) {
	const a = document.createElement("a");
	a.href = URL.createObjectURL(blob);
	a.download = name;
	document.body.appendChild(a);
	a.click();
	setTimeout(() => {
		URL.revokeObjectURL(a.href);
		a.remove();
	}, 0);
}

export function csvText(head, rows) {
	const cell = (v) => {
		const s = v === null || v === undefined ? "" : String(v);
		return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
	};
	return [head, ...rows].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}

// The chart drawn again as an SVG: its canvas as an image inside an SVG
// document with the title as text (Chart.js draws only to a canvas).
function svgOf(canvas, title) {
	const w = canvas.width, h = canvas.height;
	const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
	return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" ` +
		`xmlns:xlink="http://www.w3.org/1999/xlink" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
		`<title>${esc(title)}</title><image width="${w}" height="${h}" ` +
		`xlink:href="${canvas.toDataURL("image/png")}"/></svg>\n`;
}

// config: a Chart.js configuration, made again when deps change.
export function ChartBox({ id, title, config, height = 320, desc }) {
	const ref = useRef(null), chart = useRef(null);
	useEffect(() => {
		if (!ref.current) return;
		const cfg = config();
		cfg.options = Object.assign({ responsive: true, maintainAspectRatio: false }, cfg.options);
		chart.current = new Chart(ref.current, cfg);
		return () => chart.current && chart.current.destroy();
	}, [config]);
	const save = (kind) => {
		const c = ref.current;
		if (!c) return;
		if (kind === "png") c.toBlob((b) => download(`${id}.png`, b), "image/png");
		else download(`${id}.svg`, new Blob([svgOf(c, title)], { type: "image/svg+xml" }));
	};
	return (
		<figure class="chart" data-chart={id}>
			<figcaption>
				<span>{title}</span>
				<span class="tools">
					<button type="button" onClick={() => save("png")} aria-label={`Save the chart "${title}" as PNG`}>PNG</button>
					<button type="button" onClick={() => save("svg")} aria-label={`Save the chart "${title}" as SVG`}>SVG</button>
				</span>
			</figcaption>
			<div class="canvas-box" style={{ height: height + "px" }}>
				<canvas ref={ref} role="img" aria-label={desc || title} />
			</div>
		</figure>
	);
}

// head: column titles; rows: arrays of cells (strings, numbers or
// {v: value shown, csv: value saved, cls, title}).
export function DataTable({ id, caption, head, rows, rowHead = true }) {
	const val = (c, k) => (c !== null && typeof c === "object" && !Array.isArray(c) && "v" in c ? c[k] ?? c.v : c);
	const save = () => download(`${id}.csv`, new Blob([csvText(head, rows.map((r) => r.map((c) => val(c, "csv"))))],
		{ type: "text/csv" }));
	return (
		<div class="table-wrap">
			<table data-table={id}>
				<caption>
					<span>{caption}</span>
					<button type="button" class="tools" onClick={save} aria-label={`Save the table "${caption}" as CSV`}>CSV</button>
				</caption>
				<thead>
					<tr>{head.map((h) => <th scope="col">{h}</th>)}</tr>
				</thead>
				<tbody>
					{rows.map((r) => (
						<tr>
							{r.map((c, k) => {
								const o = c !== null && typeof c === "object" && "v" in c ? c : { v: c };
								const shown = typeof o.v === "number" ? fmt(o.v, o.digits ?? 1) : o.v;
								return k === 0 && rowHead ? (
									<th scope="row" class={o.cls} title={o.title}>{shown}</th>
								) : (
									<td class={o.cls || (typeof o.v === "number" ? "num" : "")} title={o.title}>{shown}</td>
								);
							})}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

export function ErrorBox({ error }) {
	if (!error) return null;
	return <p class="error" role="alert">{error.detail || String(error)}</p>;
}

export function Loading({ what }) {
	return <p class="loading" role="status">Loading {what}…</p>;
}
