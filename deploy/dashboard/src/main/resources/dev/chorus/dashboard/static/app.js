// The Chorus dashboard: reads /api/<query> (analyst views) and draws plain SVG. No dependencies.
"use strict";

const SCALES = {
  vision_strategy: "Vision & strategy",
  supportive_administration: "Supportive administration",
  trust_respect: "Trust & respect",
  work_structures: "Work structures",
  resources_time: "Resources & time",
  shared_influence: "Shared influence",
  orientation_improvement: "Orientation to improvement",
  self_identified_leader: "Sees self as a leader",
  interest_in_leading: "Interest in leading",
  intent_to_stay: "Intent to stay",
  burnout_risk: "Burnout risk",
  transparency: "Transparency",
};
const CONDITIONS = Object.keys(SCALES).slice(0, 7);
const GROUPS = {
  administrators: "Administrators", teachers: "Teachers", paraprofessionals: "Paraprofessionals",
  support_staff: "Support staff", students: "Students", families: "Families",
  district_office: "District office",
};
const SUPPRESSED = "fewer than 5";
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const state = { district: params.get("district"), cycle: params.get("cycle"), school: params.get("school") };

async function api(name, args) {
  const query = new URLSearchParams(args).toString();
  const response = await fetch(`api/${name}?${query}`);
  if (!response.ok) throw new Error(`${name}: ${response.status}`);
  return response.json();
}

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function heatColor(score) {
  // 0 → warm red, 50 → pale, 100 → deep green
  const t = Math.max(0, Math.min(1, score / 100));
  const hue = 8 + t * 122;
  const light = 92 - Math.abs(t - 0.5) * 52;
  return `hsl(${hue}, 55%, ${light}%)`;
}

function fill(select, values, chosen) {
  select.innerHTML = "";
  for (const v of values) select.append(el("option", { value: v }, v === "" ? "(district)" : v));
  select.value = values.includes(chosen) ? chosen : values[0];
  return select.value;
}

function navigate() {
  const q = new URLSearchParams(state);
  history.replaceState(null, "", `?${q}`);
  render();
}

async function start() {
  const cycles = await api("cycles", {});
  const districts = [...new Set(cycles.map((c) => c.district_id))];
  state.district = fill($("district"), districts, state.district);
  const ofDistrict = cycles.filter((c) => c.district_id === state.district).map((c) => c.cycle);
  state.cycle = fill($("cycle"), ofDistrict, state.cycle);
  $("district").onchange = () => { state.district = $("district").value; state.cycle = null; start(); };
  $("cycle").onchange = () => { state.cycle = $("cycle").value; navigate(); };
  $("school").onchange = () => { state.school = $("school").value; navigate(); };
  await render();
}

async function render() {
  document.body.removeAttribute("data-ready");
  const [overview, rates] = await Promise.all([
    api("overview", { district: state.district, cycle: state.cycle }),
    api("rates", { district: state.district, cycle: state.cycle }),
  ]);
  const schools = [...new Set(overview.map((r) => r.school_id))].filter((s) => s !== "").sort();
  state.school = fill($("school"), schools, state.school);
  drawHeat(overview, rates, schools);
  await drawSchool();
  document.body.setAttribute("data-ready", "true");
}

function scoreCell(row, attrs) {
  const td = el("td", attrs);
  if (!row) { td.textContent = "–"; td.className = "empty"; return td; }
  if (row.suppressed) { td.textContent = SUPPRESSED; td.className = "suppressed"; return td; }
  td.textContent = Math.round(row.score_100);
  td.style.background = heatColor(row.score_100);
  td.title = `${SCALES[row.scale_id] || row.scale_id}: ${row.score_100.toFixed(1)} (n = ${row.n_band})`;
  return td;
}

function drawHeat(overview, rates, schools) {
  const byCell = new Map(overview.map((r) => [`${r.school_id}|${r.scale_id}`, r]));
  const rateOf = new Map(rates.map((r) => [r.school_id, r]));
  const table = el("table", { class: "heat" });
  const head = el("tr");
  head.append(el("th", { class: "school" }, "School"));
  for (const s of CONDITIONS) head.append(el("th", {}, SCALES[s]));
  head.append(el("th", {}, "Response rate"));
  table.append(head);
  for (const school of [...schools, ""]) {
    const tr = el("tr", { class: school === "" ? "district" : "" });
    const name = el("td", { class: "name" }, school === "" ? "District" : school);
    if (school !== "") name.onclick = () => { state.school = school; navigate(); };
    tr.append(name);
    for (const s of CONDITIONS) {
      tr.append(scoreCell(byCell.get(`${school}|${s}`), { "data-school": school, "data-scale": s }));
    }
    const rate = rateOf.get(school);
    const td = el("td", { "data-school": school, "data-rate": "" });
    if (!rate) td.textContent = "–";
    else if (rate.rate == null) { td.textContent = rate.suppressed ? SUPPRESSED : "no roster"; td.className = "suppressed"; }
    else td.textContent = `${Math.round(100 * rate.rate)}%`;
    tr.append(td);
    table.append(tr);
  }
  $("heat").replaceChildren(table);
}

async function drawSchool() {
  const args = { district: state.district, cycle: state.cycle, school: state.school };
  $("school-title").textContent = `School detail: ${state.school}`;
  const [overview, trends, rolling, influence, shares, gaps, patterns, roles] = await Promise.all([
    api("overview", { district: state.district, cycle: state.cycle }),
    api("trends", args), api("rolling", args), api("influence", args),
    api("shares", args), api("gaps", args), api("patterns", args), api("roles", args),
  ]);
  drawScores(overview.filter((r) => r.school_id === state.school), trends);
  drawRoles(roles);
  drawRolling(rolling);
  drawInfluence(influence[0], shares);
  if (gaps.every((g) => g.gap == null)) {
    // Administrators are few in one school: show the district-wide gap instead, labelled.
    drawGaps(await api("gaps", { ...args, school: "" }), "District-wide (too few raters in this school)");
  } else {
    drawGaps(gaps);
  }
  drawPatterns(patterns);
}

function drawScores(rows, trends) {
  const trendOf = new Map(trends.map((t) => [t.scale_id, t]));
  const order = Object.keys(SCALES).filter((s) => rows.some((r) => r.scale_id === s));
  const width = 560, rowH = 24, left = 200, barW = 260;
  const chart = svg("svg", { width, height: order.length * rowH + 10, role: "img" });
  order.forEach((scale, i) => {
    const r = rows.find((x) => x.scale_id === scale);
    const y = i * rowH + 4;
    chart.append(svg("text", { x: 0, y: y + 15 }, SCALES[scale]));
    const g = svg("g", { "data-scale": scale });
    if (r.suppressed) {
      g.append(svg("text", { x: left, y: y + 15, class: "muted" }, SUPPRESSED));
    } else {
      g.append(svg("rect", { x: left, y, width: (barW * r.score_100) / 100, height: rowH - 6, fill: heatColor(r.score_100), stroke: "#9aa7b5" }));
      g.append(svg("text", { x: left + (barW * r.score_100) / 100 + 6, y: y + 15, "data-value": "" }, Math.round(r.score_100)));
      const t = trendOf.get(scale);
      if (t && !t.suppressed && t.delta_mean != null) {
        const arrow = t.delta_mean > 0 ? "▲" : t.delta_mean < 0 ? "▼" : "■";
        const label = `${arrow} ${t.delta_mean > 0 ? "+" : ""}${t.delta_mean.toFixed(2)}${t.significant ? " *" : ""}`;
        g.append(svg("text", { x: left + barW + 44, y: y + 15, class: t.significant ? "" : "muted", fill: t.delta_mean >= 0 ? "#1f7a3a" : "#b3372f" }, label));
      }
    }
    chart.append(g);
  });
  const box = el("div");
  box.append(chart, el("p", { class: "note" }, "Change of the mean (1–5) since the previous cycle; * significant (Welch t-test, p < 0.05)."));
  $("scores").replaceChildren(box);
}

function drawRoles(rows) {
  const roles = [...new Set(rows.map((r) => r.role_group))];
  if (roles.length === 0) { $("roles").replaceChildren(el("p", { class: "empty" }, "No role breakdown yet.")); return; }
  const byCell = new Map(rows.map((r) => [`${r.role_group}|${r.scale_id}`, r]));
  const table = el("table", { class: "heat" });
  const head = el("tr");
  head.append(el("th", { class: "school" }, "Role"));
  for (const s of CONDITIONS) head.append(el("th", {}, SCALES[s]));
  table.append(head);
  for (const role of roles) {
    const tr = el("tr");
    tr.append(el("td", { class: "name" }, role.charAt(0) + role.slice(1).toLowerCase().replace("_", " ")));
    for (const s of CONDITIONS) tr.append(scoreCell(byCell.get(`${role}|${s}`), { "data-role": role, "data-scale": s }));
    table.append(tr);
  }
  $("roles").replaceChildren(table);
}

function drawRolling(rows) {
  const series = {};
  for (const r of rows) if (CONDITIONS.includes(r.scale_id)) (series[r.scale_id] ||= []).push(r);
  const days = [...new Set(rows.map((r) => r.day))].sort();
  if (days.length < 2) { $("rolling").replaceChildren(el("p", { class: "empty" }, "Not enough days yet.")); return; }
  const width = 560, height = 220, left = 34, bottom = 24, top = 8;
  const x = (d) => left + ((width - left - 10) * days.indexOf(d)) / (days.length - 1);
  const y = (v) => top + (height - top - bottom) * (1 - v / 100);
  const chart = svg("svg", { width, height, role: "img" });
  for (const v of [0, 50, 100]) {
    chart.append(svg("line", { x1: left, x2: width - 10, y1: y(v), y2: y(v), stroke: "#e3e8ee" }));
    chart.append(svg("text", { x: 4, y: y(v) + 4, class: "muted" }, v));
  }
  chart.append(svg("text", { x: left, y: height - 6, class: "muted" }, days[0]));
  chart.append(svg("text", { x: width - 90, y: height - 6, class: "muted" }, days[days.length - 1]));
  const colors = ["#2f6fb3", "#c0392b", "#27ae60", "#8e44ad", "#d68910", "#17a589", "#5d6d7e"];
  Object.entries(series).forEach(([scale, points], i) => {
    let d = "";
    let pen = false;
    for (const p of points) {
      if (p.suppressed || p.score_100 == null) { pen = false; continue; }
      d += `${pen ? "L" : "M"}${x(p.day).toFixed(1)},${y(p.score_100).toFixed(1)} `;
      pen = true;
    }
    if (d) chart.append(svg("path", { d, fill: "none", stroke: colors[i % colors.length], "stroke-width": 2, "data-scale": scale }));
  });
  const legend = el("p", { class: "note" });
  Object.keys(series).forEach((s, i) => {
    const key = el("span", {}, `■ ${SCALES[s]}  `);
    key.style.color = colors[i % colors.length];
    legend.append(key);
  });
  $("rolling").replaceChildren(chart, legend);
}

function drawInfluence(cell, shares) {
  const box = el("div");
  if (!cell || cell.suppressed) {
    box.append(el("p", { class: "suppressed", "data-total-influence": "" }, `Influence: ${SUPPRESSED} raters`));
    $("influence").replaceChildren(box);
    return;
  }
  const tiles = el("div", { class: "tiles" });
  const tile = (value, label, attr) => {
    const t = el("div", { class: "tile" });
    t.append(el("b", { [attr]: "" }, value), el("span", {}, label));
    return t;
  };
  tiles.append(
    tile(cell.total_influence == null ? "–" : cell.total_influence.toFixed(2), "total influence (sum over groups, 0–3 each)", "data-total-influence"),
    tile(cell.evenness == null ? "–" : cell.evenness.toFixed(2), "evenness (1 = evenly shared)", "data-evenness"),
    tile(cell.effective_groups == null ? "–" : cell.effective_groups.toFixed(1), "effective number of groups", "data-effective"));
  box.append(tiles);
  const width = 560, rowH = 22, left = 130, barW = 330;
  const max = Math.max(0.01, ...shares.map((s) => s.share || 0));
  const chart = svg("svg", { width, height: shares.length * rowH + 6, role: "img" });
  shares.forEach((s, i) => {
    const y = i * rowH + 3;
    chart.append(svg("text", { x: 0, y: y + 14 }, GROUPS[s.group_name] || s.group_name));
    const w = (barW * (s.share || 0)) / max;
    chart.append(svg("rect", { x: left, y, width: w, height: rowH - 6, fill: s.group_name === "administrators" ? "#5d6d7e" : "#2f6fb3" }));
    chart.append(svg("text", { x: left + w + 6, y: y + 14, "data-group": s.group_name }, s.share == null ? "–" : `${Math.round(100 * s.share)}%`));
  });
  box.append(chart);
  $("influence").replaceChildren(box);
}

function drawGaps(all, label) {
  // A gap is hidden (null) when the administrators' or the group's own raters are too few.
  const gaps = all.filter((g) => g.gap != null);
  if (gaps.length === 0) { $("gaps").replaceChildren(el("p", { class: "empty" }, `Not shown: ${SUPPRESSED} raters in a group, or no ratings.`)); return; }
  const width = 560, rowH = 22, mid = 330, unit = 120;
  const chart = svg("svg", { width, height: gaps.length * rowH + 24, role: "img" });
  chart.append(svg("line", { x1: mid, x2: mid, y1: 0, y2: gaps.length * rowH + 4, stroke: "#9aa7b5" }));
  gaps.forEach((g, i) => {
    const y = i * rowH + 3;
    chart.append(svg("text", { x: 0, y: y + 14 }, GROUPS[g.group_name] || g.group_name));
    const w = Math.abs(g.gap) * unit;
    chart.append(svg("rect", { x: g.gap >= 0 ? mid : mid - w, y, width: w, height: rowH - 6, fill: g.gap >= 0 ? "#d68910" : "#17a589" }));
    chart.append(svg("text", { x: g.gap >= 0 ? mid + w + 6 : mid - w - 40, y: y + 14, "data-gap": g.group_name }, `${g.gap > 0 ? "+" : ""}${g.gap.toFixed(2)}`));
  });
  chart.append(svg("text", { x: mid + 4, y: gaps.length * rowH + 20, class: "muted" }, "administrators rate the group higher →"));
  const hidden = all.length - gaps.length;
  const box = el("div");
  if (label) box.append(el("p", { class: "note", "data-gap-scope": "district" }, label));
  box.append(chart);
  if (hidden > 0) box.append(el("p", { class: "note" }, `${hidden} group(s) not shown: ${SUPPRESSED} raters on one side.`));
  $("gaps").replaceChildren(box);
}

function drawPatterns(rows) {
  if (rows.length === 0 || rows[0].suppressed) { $("patterns").replaceChildren(el("p", { class: "suppressed" }, `Decision patterns: ${SUPPRESSED} reports`)); return; }
  const kinds = [["shaped", "shaped it"], ["input", "gave input"], ["led", "led it"], ["implemented", "implemented it"]];
  const table = el("table", { class: "heat" });
  const head = el("tr");
  head.append(el("th", { class: "school" }, "Group"));
  for (const [, label] of kinds) head.append(el("th", {}, label));
  table.append(head);
  for (const r of rows) {
    const tr = el("tr");
    tr.append(el("td", { class: "name" }, GROUPS[r.group_name] || r.group_name));
    for (const [k] of kinds) {
      const v = r[k];
      const td = el("td", { "data-group": r.group_name, "data-kind": k }, v == null ? "–" : `${Math.round(100 * v)}%`);
      if (v != null) td.style.background = `rgba(47,111,179,${(0.1 + 0.7 * v).toFixed(2)})`;
      tr.append(td);
    }
    table.append(tr);
  }
  $("patterns").replaceChildren(table);
}

start().catch((e) => {
  document.body.setAttribute("data-error", e.message);
  $("heat").replaceChildren(el("p", { class: "empty" }, `Could not load: ${e.message}`));
});
