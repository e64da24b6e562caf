// The strategic game: a shipped game tree (GET /api/v1/games/NAME) drawn
// left to right, and its equilibria (POST /api/v1/games/solve, the document
// `parley game solve` prints); the chosen equilibrium's path, the branches
// to the outcomes it reaches with a positive probability, is highlighted.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import * as api from "../api.js";
import { setParams } from "../url.js";
import { DataTable, ErrorBox, Loading, download } from "../ui.jsx";

const ROW = 27, PAD = 16, WIDTH = 1290, LEAF_TEXT = 340;

function layout(game) {
	const nodes = game.nodes.map((n) => ({ ...n, kids: [] }));
	const byId = new Map(nodes.map((n) => [n.id, n]));
	for (const n of nodes) if (n.parent >= 0) byId.get(n.parent).kids.push(n);
	for (const n of nodes) n.kids.sort((a, b) => a.action - b.action);
	const root = nodes.find((n) => n.parent < 0);
	let leaf = 0, depth = 0;
	const place = (n, d) => {
		n.depth = d;
		depth = Math.max(depth, d);
		if (!n.kids.length) n.row = leaf++;
		else {
			n.kids.forEach((k) => place(k, d + 1));
			n.row = (n.kids[0].row + n.kids[n.kids.length - 1].row) / 2;
		}
	};
	place(root, 0);
	return { nodes, byId, root, leaves: leaf, depth };
}

// The nodes the equilibrium reaches: the ancestors of its outcomes (the
// solution numbers nodes from 1 in the file's order).
function onPath(lay, eq) {
	const on = new Set();
	if (!eq) return on;
	for (const o of eq.outcomes || []) {
		if (Number(o.probability) === 0 || o.probability === "0") continue;
		let n = lay.byId.get(o.node - 1);
		if (n && n.outcome && o.outcome && n.outcome.label !== o.outcome) n = lay.nodes.find((m) => m.outcome && m.outcome.label === o.outcome) || n;
		for (; n; n = n.parent >= 0 ? lay.byId.get(n.parent) : null) on.add(n.id);
	}
	return on;
}

function actionName(game, parent, k) {
	const is = game.infosets.find((i) => i.id === parent.infoset);
	if (!is) return String(k);
	const p = is.probabilities ? ` (${is.probabilities[k]})` : "";
	return is.actions[k] + p;
}

function Tree({ game, eq, svgRef }) {
	const lay = useMemo(() => layout(game), [game]);
	const on = onPath(lay, eq);
	// the columns share what the outcomes' labels leave of a 1366-pixel screen
	const COL = Math.max(110, Math.min(190, Math.floor((WIDTH - LEAF_TEXT - 2 * PAD) / Math.max(1, lay.depth))));
	const W = PAD * 2 + COL * lay.depth + LEAF_TEXT, H = PAD * 2 + ROW * lay.leaves;
	const X = (n) => PAD + 8 + COL * n.depth, Y = (n) => PAD + ROW * n.row + ROW / 2;
	// a player's name goes below-left of its node (the root's, which has no
	// room there, below-right): below-right it collided with the label of a
	// move to the next row; a chance node is drawn
	// hollow and not named, as the legend under the tree says
	const who = (n) => game.players[n.player - 1] || "";
	const edges = lay.nodes.filter((n) => n.parent >= 0).map((n) => {
		const p = lay.byId.get(n.parent);
		return { n, p, hot: on.has(n.id) && on.has(p.id) };
	});
	return (
		<svg ref={svgRef} xmlns="http://www.w3.org/2000/svg" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img"
			aria-label={`The game tree of ${game.title}: ${lay.nodes.length} nodes, ${lay.leaves} outcomes; the equilibrium's path is drawn thick`} class="tree">
			<rect width={W} height={H} fill="#fff" />
			{edges.map(({ n, p, hot }) => (
				<path d={`M${X(p)},${Y(p)} C${X(p) + COL / 2},${Y(p)} ${X(n) - COL / 2},${Y(n)} ${X(n)},${Y(n)}`} fill="none"
					stroke={hot ? "#d1495b" : "#9aa0a6"} stroke-width={hot ? 4 : 1.3} />
			))}
			{/* the moves' names after every edge, on a white halo: a long name
			    over a steep edge crossed it, or a later edge crossed the name */}
			{edges.map(({ n, p, hot }) => (
				<text x={X(n) - 6} y={Y(n) - 5} text-anchor="end" font-size="11" fill={hot ? "#8a1c2b" : "#444"} font-weight={hot ? 700 : 400}
					stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{actionName(game, p, n.action)}</text>
			))}
			{lay.nodes.map((n) => (
				<g>
					<circle cx={X(n)} cy={Y(n)} r={n.kids.length ? 5 : 3.5} fill={n.type === "chance" ? "#fff" : on.has(n.id) ? "#d1495b" : "#2e4057"} stroke="#2e4057" />
					{n.kids.length > 0 && n.type !== "chance" && <text x={n.parent < 0 ? X(n) + 7 : X(n) - 7} y={Y(n) + 14} text-anchor={n.parent < 0 ? "start" : "end"} font-size="11" fill="#1a1a1a">{who(n)}</text>}
					{!n.kids.length && n.outcome && (
						<text x={X(n) + 8} y={Y(n) + 4} font-size="12" fill={on.has(n.id) ? "#8a1c2b" : "#1a1a1a"} font-weight={on.has(n.id) ? 700 : 400}>
							{n.outcome.label || "outcome"} ({n.outcome.payoffs.join(", ")})
						</text>
					)}
				</g>
			))}
		</svg>
	);
}

export function GameView({ params }) {
	const name = params.game || "korea-crisis";
	const [st, setSt] = useState(null);
	const [err, setErr] = useState(null);
	const svgRef = useRef(null);
	useEffect(() => {
		setSt(null);
		setErr(null);
		Promise.all([api.cached("game:" + name, () => api.get("/games/" + encodeURIComponent(name))),
			api.cached("solve:" + name, () => api.post("/games/solve", { game: name }))]).then(([game, sol]) => setSt({ game, sol }), setErr);
	}, [name]);
	if (err) return <ErrorBox error={err} />;
	if (!st) return <Loading what="the game" />;
	const { game, sol } = st;
	const k = Math.min(Math.max(1, Number(params.eq || 1)), sol.equilibria.length);
	const eq = sol.equilibria[k - 1];
	const saveSvg = () => download(`game-${name}.svg`, new Blob([new XMLSerializer().serializeToString(svgRef.current)], { type: "image/svg+xml" }));
	const savePng = () => {
		const svg = svgRef.current, img = new Image();
		img.onload = () => {
			const c = document.createElement("canvas");
			c.width = svg.width.baseVal.value;
			c.height = svg.height.baseVal.value;
			c.getContext("2d").drawImage(img, 0, 0);
			c.toBlob((b) => download(`game-${name}.png`, b), "image/png");
		};
		img.src = "data:image/svg+xml;base64," + btoa(unescape(encodeURIComponent(new XMLSerializer().serializeToString(svg))));
	};
	return (
		<section aria-labelledby="h-game">
			<h2 id="h-game">{game.title}</h2>
			<p class="muted">{game.comment}</p>
			<div class="row">
				<label>Equilibrium ({sol.engine}, {sol.equilibria.length} found)
					<select value={k} onChange={(e) => setParams({ eq: e.currentTarget.value })}>
						{sol.equilibria.map((e, i) => <option value={i + 1}>{i + 1}: {(e.outcomes || []).map((o) => o.outcome).join("; ")} — payoffs {e.payoffs.join(", ")}</option>)}
					</select>
				</label>
			</div>
			<figure class="chart tree-box" data-chart="game-tree">
				<figcaption>
					<span>The tree, equilibrium {k}'s path in red</span>
					<span class="tools">
						<button type="button" onClick={savePng} aria-label="Save the game tree as PNG">PNG</button>
						<button type="button" onClick={saveSvg} aria-label="Save the game tree as SVG">SVG</button>
					</span>
				</figcaption>
				<div class="tree-scroll"><Tree game={game} eq={eq} svgRef={svgRef} /></div>
				<p class="muted">A filled node is the move of the player named under it; a hollow one is chance, its moves' probabilities in brackets. Payoffs at the outcomes are in the order {game.players.join(", ")}.</p>
			</figure>
			<DataTable id="equilibrium" caption={`Equilibrium ${k}: what each player does`} head={["player", "decision", "plays"]}
				rows={eq.behaviour.map((b) => [game.players[b.player - 1] || b.player, b.label,
					Object.entries(b.probabilities).filter(([, p]) => p !== "0").map(([a, p]) => (p === "1" ? a : `${a} (${p})`)).join("; ")])} />
			<DataTable id="equilibrium-payoffs" caption={`Equilibrium ${k}: expected payoffs`} head={["player", "payoff"]}
				rows={game.players.map((p, i) => [p, eq.payoffs[i]])} />
		</section>
	);
}
