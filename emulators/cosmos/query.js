"use strict";
// The backend side of queries and read-feeds, replacing the package's own
// handler, which ignores the partition key, cannot parse OFFSET/LIMIT, and
// pages by comparing _rid strings in insertion order (wrong after updates
// and not the order the SDK assumes when it resumes ORDER BY queries).
//
// Each query is evaluated document by document (so every result row knows
// the _rid it came from), then sorted, windowed (TOP / OFFSET LIMIT) and
// paged here. Continuation tokens are resume keys (sort values, _rid,
// duplicate index), not offsets, so a page boundary survives concurrent
// inserts, updates and deletes the way the real service's does.
const engine = require("./engine");
const sql = require("./sql");
const plan = require("./plan");
const { ridNumber } = require("./rid");

const TOKEN_PREFIX = "+EMU:";

// Cosmos ORDER BY type order: undefined < null < boolean < number < string < array < object.
const TYPE_RANK = { undefined: 0, null: 1, boolean: 2, number: 3, string: 4, array: 5, object: 6 };
const typeOf = v => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function compareValues(a, b) {
  const ta = typeOf(a);
  const tb = typeOf(b);
  if (ta !== tb) return TYPE_RANK[ta] - TYPE_RANK[tb];
  if (ta === "array" || ta === "object" || a === b) return 0;
  return a < b ? -1 : 1;
}

function makeComparator(orderBy) {
  const ridDesc = orderBy.length > 0 && orderBy[0].desc;
  return (x, y) => {
    for (let i = 0; i < orderBy.length; i += 1) {
      const c = compareValues(x.keys[i], y.keys[i]);
      if (c !== 0) return orderBy[i].desc ? -c : c;
    }
    // Ties go in _rid order, reversed for a DESC first column: the SDK's
    // ORDER BY resume logic (FilterNextAsync) assumes exactly this.
    if (x.rid !== y.rid) return (x.rid < y.rid ? -1 : 1) * (ridDesc ? -1 : 1);
    return x.dup - y.dup;
  };
}

function encodeToken(entry) {
  const keys = (entry.keys || []).map(v => (v === undefined ? { u: 1 } : { v }));
  return TOKEN_PREFIX + Buffer.from(JSON.stringify({ k: keys, r: entry.rid.toString(), d: entry.dup })).toString("base64url");
}

function decodeToken(token) {
  if (!token) return null;
  try {
    if (!token.startsWith(TOKEN_PREFIX)) throw new Error("not ours");
    const t = JSON.parse(Buffer.from(token.slice(TOKEN_PREFIX.length), "base64url").toString());
    return { keys: t.k.map(x => ("u" in x ? undefined : x.v)), rid: BigInt(t.r), dup: t.d };
  } catch (err) {
    throw Object.assign(new Error(`invalid continuation token: ${token}`), { badRequest: true });
  }
}

function sortedByRid(docs) {
  return docs.map(doc => ({ doc, rid: ridNumber(doc._rid) })).sort((a, b) => (a.rid < b.rid ? -1 : a.rid > b.rid ? 1 : 0));
}

function dedupe(entries, keyOf) {
  const seen = new Set();
  return entries.filter(e => {
    const k = JSON.stringify(keyOf(e));
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Runs a query over `docs` (already scoped to a partition and TTL-filtered).
 * Returns { rows, continuation } for one page.
 */
function execute(docs, { query, parameters }, { maxItemCount, continuation, udf }) {
  let q = sql.parse(query);
  if (q.groupBy) throw Object.assign(new Error("GROUP BY is not supported by the local Cosmos emulator"), { badRequest: true });

  // No FROM ("SELECT VALUE 1"): one evaluation, not one per document.
  if (!q.from) return { rows: engine.run(query, [], parameters, udf), continuation: null };

  // Aggregates: one answer over the whole scope, never paged.
  if (plan.AGGREGATE_RE.test(q.projection) && !q.orderBy.length) {
    const wrapped = q.value && q.projection.match(/^\[\s*\{\s*"item"\s*:\s*([\s\S]*)\}\s*\]$/);
    const projection = wrapped ? wrapped[1].trim() : q.projection;
    const rows = engine.run(sql.build({ ...q, projection, distinct: false }), docs, parameters, udf);
    return { rows: wrapped ? [[{ item: rows[0] }]] : rows, continuation: null };
  }

  const top = sql.resolveInt(q.top, parameters);
  const offset = sql.resolveInt(q.offset, parameters);
  const limit = sql.resolveInt(q.limit, parameters);
  const orderBy = q.orderBy;
  let unwrapPayload = false;
  if (orderBy.length && !plan.isRewrittenOrderBy(q)) {
    // A plain ORDER BY query (single-partition / direct execution): run it in
    // the rewritten form so rows carry their sort values, unwrap at the end.
    q = sql.parse(plan.rewriteOrderBy(q, null).replace(plan.FILTER_PLACEHOLDER, "true"));
    unwrapPayload = true;
  }
  const perDocument = sql.build({ ...q, distinct: false, top: null, orderBy: [], offset: null, limit: null });

  let entries = [];
  for (const { doc, rid } of sortedByRid(docs)) {
    engine.run(perDocument, [doc], parameters, udf).forEach((row, dup) => {
      const keys = orderBy.length ? (row.orderByItems || []).map(i => (i ? i.item : undefined)) : null;
      entries.push({ row, rid, dup, keys });
    });
  }
  const compare = makeComparator(orderBy);
  if (orderBy.length) entries.sort(compare);
  if (unwrapPayload) entries = entries.filter(e => e.row.payload !== undefined);
  if (q.distinct) entries = dedupe(entries, e => (orderBy.length ? e.row.payload : e.row));
  if (top !== null) entries = entries.slice(0, top);
  if (offset !== null) entries = entries.slice(offset, offset + limit);

  const resume = decodeToken(continuation);
  const start = resume ? entries.findIndex(e => compare(e, resume) > 0) : 0;
  const from = start < 0 ? entries.length : start;
  const size = maxItemCount > 0 ? maxItemCount : entries.length;
  const page = entries.slice(from, from + size);
  const more = from + size < entries.length;
  return {
    rows: page.map(e => (unwrapPayload ? e.row.payload : e.row)),
    continuation: more && page.length ? encodeToken(page[page.length - 1]) : null
  };
}

module.exports = { execute, compareValues };
