"use strict";
// A clause splitter for Cosmos SQL. The query engine inside
// @vercel/cosmosdb-server (@zeit/cosmosdb-query 0.7.2) cannot parse
// OFFSET/LIMIT, DISTINCT or GROUP BY, and both the query plan and the
// backend need the clauses as text (to rewrite ORDER BY queries the way the
// real gateway does). So we split at top-level keywords only, skipping
// strings, brackets and property names (c.value, c.top ...).

const CLAUSE_WORDS = new Set(["SELECT", "DISTINCT", "TOP", "VALUE", "FROM", "WHERE", "GROUP", "ORDER", "OFFSET", "LIMIT", "BY"]);

// Returns [{word, start, end}] for top-level clause keywords.
function keywordPositions(sql) {
  const out = [];
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      i += 1;
      while (i < sql.length && sql[i] !== ch) i += sql[i] === "\\" ? 2 : 1;
      i += 1;
      continue;
    }
    if (ch === "-" && sql[i + 1] === "-") {
      while (i < sql.length && sql[i] !== "\n") i += 1;
      continue;
    }
    if (ch === "(" || ch === "[" || ch === "{") depth += 1;
    else if (ch === ")" || ch === "]" || ch === "}") depth -= 1;
    if (/[A-Za-z_]/.test(ch)) {
      const start = i;
      while (i < sql.length && /[A-Za-z0-9_]/.test(sql[i])) i += 1;
      const word = sql.slice(start, i).toUpperCase();
      const prev = sql.slice(0, start).trimEnd().slice(-1);
      const isProperty = prev === "." || prev === "@";
      if (depth === 0 && !isProperty && CLAUSE_WORDS.has(word)) out.push({ word, start, end: i });
      continue;
    }
    i += 1;
  }
  return out;
}

// Splits a comma separated list at top level.
function splitTopLevel(text, sep = ",") {
  const parts = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i += 1;
      while (i < text.length && text[i] !== ch) i += text[i] === "\\" ? 2 : 1;
      continue;
    }
    if (ch === "(" || ch === "[" || ch === "{") depth += 1;
    else if (ch === ")" || ch === "]" || ch === "}") depth -= 1;
    else if (ch === sep && depth === 0) {
      parts.push(text.slice(last, i).trim());
      last = i + 1;
    }
  }
  parts.push(text.slice(last).trim());
  return parts.filter(p => p.length);
}

/**
 * parse("SELECT TOP 5 * FROM c WHERE ... ORDER BY c.a DESC OFFSET 1 LIMIT 2")
 * -> { distinct, top, value, projection, from, where, groupBy, orderBy: [{expr, desc}], offset, limit }
 * Expressions are kept as source text.
 */
function parse(sql) {
  const text = sql.trim();
  const kws = keywordPositions(text);
  if (!kws.length || kws[0].word !== "SELECT" || kws[0].start !== 0) {
    throw Object.assign(new Error("query must start with SELECT"), { badRequest: true });
  }
  const q = { distinct: false, top: null, value: false, projection: "", from: null, where: null, groupBy: null, orderBy: [], offset: null, limit: null };
  // Section boundaries: a clause runs until the next top-level clause keyword.
  const mainWords = kws.filter(k => ["FROM", "WHERE", "GROUP", "ORDER", "OFFSET", "LIMIT"].includes(k.word));
  const sectionEnd = idx => {
    const next = mainWords.find(k => k.start >= idx);
    return next ? next.start : text.length;
  };
  // SELECT [DISTINCT] [TOP n] [VALUE] projection
  let pos = kws[0].end;
  const headEnd = sectionEnd(pos);
  let head = text.slice(pos, headEnd).trim();
  const takeWord = w => {
    const m = head.match(new RegExp(`^${w}\\b`, "i"));
    if (m) head = head.slice(m[0].length).trim();
    return !!m;
  };
  q.distinct = takeWord("DISTINCT");
  if (takeWord("TOP")) {
    const m = head.match(/^(@\w+|\d+|\(\s*@?\w+\s*\))/);
    if (!m) throw Object.assign(new Error("bad TOP"), { badRequest: true });
    q.top = m[0].replace(/[()\s]/g, "");
    head = head.slice(m[0].length).trim();
  }
  q.value = takeWord("VALUE");
  q.projection = head;
  pos = headEnd;
  for (let i = 0; i < mainWords.length; i += 1) {
    const k = mainWords[i];
    if (k.start < pos) continue;
    let bodyStart = k.end;
    if (k.word === "GROUP" || k.word === "ORDER") {
      const by = kws.find(x => x.word === "BY" && x.start >= k.end);
      bodyStart = by ? by.end : k.end;
    }
    const end = sectionEnd(bodyStart);
    const body = text.slice(bodyStart, end).trim();
    switch (k.word) {
      case "FROM": q.from = body; break;
      case "WHERE": q.where = body; break;
      case "GROUP": q.groupBy = body; break;
      case "ORDER":
        q.orderBy = splitTopLevel(body).map(item => {
          const m = item.match(/^(.*?)(?:\s+(ASC|DESC))?$/is);
          return { expr: m[1].trim(), desc: (m[2] || "").toUpperCase() === "DESC" };
        });
        break;
      case "OFFSET": q.offset = body; break;
      case "LIMIT": q.limit = body; break;
      default: break;
    }
    pos = end;
  }
  return q;
}

// Rebuilds SQL from parsed parts (used to strip clauses the engine cannot run).
function build(q) {
  let s = "SELECT ";
  if (q.distinct) s += "DISTINCT ";
  if (q.top !== null && q.top !== undefined) s += `TOP ${q.top} `;
  if (q.value) s += "VALUE ";
  s += q.projection;
  if (q.from) s += ` FROM ${q.from}`;
  if (q.where) s += ` WHERE ${q.where}`;
  if (q.groupBy) s += ` GROUP BY ${q.groupBy}`;
  if (q.orderBy.length) s += ` ORDER BY ${q.orderBy.map(o => `${o.expr} ${o.desc ? "DESC" : "ASC"}`).join(", ")}`;
  if (q.offset !== null && q.offset !== undefined) s += ` OFFSET ${q.offset} LIMIT ${q.limit}`;
  return s;
}

// The root alias of FROM: "c", "root c", "root AS r", "c IN c.items" -> alias.
function rootAlias(from) {
  const first = (from || "c").split(/\s+JOIN\s+/i)[0].trim();
  const inForm = first.match(/^(\w+)\s+IN\s+/i);
  if (inForm) return inForm[1];
  const m = first.match(/^(\w+)(?:\s+(?:AS\s+)?(\w+))?$/i);
  return m ? m[2] || m[1] : "c";
}

// Resolves a TOP/OFFSET/LIMIT argument (literal or @parameter) to a number.
function resolveInt(text, parameters) {
  if (text === null || text === undefined) return null;
  const t = String(text).trim();
  if (/^\d+$/.test(t)) return parseInt(t, 10);
  const p = (parameters || []).find(x => x.name.toLowerCase() === t.toLowerCase());
  if (p && Number.isInteger(p.value) && p.value >= 0) return p.value;
  throw Object.assign(new Error(`cannot resolve ${t} to a non-negative integer`), { badRequest: true });
}

const AGGREGATES = ["COUNT", "SUM", "MIN", "MAX", "AVG"];

// "COUNT(1)" -> {fn: "COUNT", arg: "1"} when the whole expression is one aggregate call.
function aggregateCall(expr) {
  const m = expr.trim().match(/^(\w+)\s*\(([\s\S]*)\)$/);
  if (!m || !AGGREGATES.includes(m[1].toUpperCase())) return null;
  // the parentheses must belong to this call: "COUNT(1) + MAX(2)" is not one
  let depth = 0;
  for (let i = 0; i < m[2].length; i += 1) {
    if (m[2][i] === "(") depth += 1;
    if (m[2][i] === ")") depth -= 1;
    if (depth < 0) return null;
  }
  return { fn: m[1].toUpperCase(), arg: m[2].trim() };
}

module.exports = { parse, build, rootAlias, resolveInt, splitTopLevel, aggregateCall, AGGREGATES };
