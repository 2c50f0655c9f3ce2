"use strict";
// Builds the answer to a query-plan request
// (x-ms-cosmos-is-query-plan-request: True). On Linux the .NET SDK cannot
// parse queries itself, so it asks the gateway for a
// PartitionedQueryExecutionInfo, then runs the rewritten query against each
// partition key range and does ORDER BY merging, TOP, OFFSET/LIMIT,
// DISTINCT and aggregate combining client-side. We answer the way the real
// gateway does for the shapes the app uses; for shapes we cannot rewrite we
// return a plan with no client-side work, which is still exact here because
// the emulator has a single partition key range and the backend
// (query.js) runs the whole query.
const sql = require("./sql");

const FILTER_PLACEHOLDER = "{documentdb-formattableorderbyquery-filter}";
const AGGREGATE_NAMES = { COUNT: "Count", SUM: "Sum", MIN: "Min", MAX: "Max", AVG: "Average" };
const FULL_RANGE = { min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false };
const AGGREGATE_RE = /\b(COUNT|SUM|MIN|MAX|AVG)\s*\(/i;

// The projection as one expression, used as the "payload" of an ORDER BY row.
function payloadExpression(q, alias) {
  if (q.value) return q.projection;
  if (q.projection.trim() === "*") return alias;
  let unnamed = 0;
  const fields = sql.splitTopLevel(q.projection).map(item => {
    const aliased = item.match(/^([\s\S]*?)\s+AS\s+(\w+)$/i);
    if (aliased) return `${JSON.stringify(aliased[2])}: ${aliased[1]}`;
    const prop = item.match(/(?:^|\.)(\w+)$|\[\s*"([^"]+)"\s*\]$/);
    unnamed += prop ? 0 : 1;
    const name = prop ? prop[1] || prop[2] : `$${unnamed}`;
    return `${JSON.stringify(name)}: ${item}`;
  });
  return `{${fields.join(", ")}}`;
}

// ORDER BY rewrite the SDK expects from the backend: each row is
// {"_rid", "orderByItems": [{"item": <sort value>}...], "payload": <projection>},
// with a placeholder the SDK replaces by a resume filter.
function rewriteOrderBy(q, topN) {
  const alias = sql.rootAlias(q.from);
  const items = q.orderBy.map(o => `{"item": ${o.expr}}`).join(", ");
  const where = q.where ? `(${q.where}) AND (${FILTER_PLACEHOLDER})` : `(${FILTER_PLACEHOLDER})`;
  const top = topN !== null && topN !== undefined ? `TOP ${topN} ` : "";
  const order = q.orderBy.map(o => `${o.expr} ${o.desc ? "DESC" : "ASC"}`).join(", ");
  return `SELECT ${top}${alias}._rid, [${items}] AS orderByItems, ${payloadExpression(q, alias)} AS payload FROM ${q.from} WHERE ${where} ORDER BY ${order}`;
}

function isRewrittenOrderBy(q) {
  return /\borderByItems\b/.test(q.projection) && /\bpayload\b/.test(q.projection);
}

function emptyQueryInfo() {
  return {
    distinctType: "None",
    top: null,
    offset: null,
    limit: null,
    orderBy: [],
    orderByExpressions: [],
    groupByExpressions: [],
    groupByAliases: [],
    aggregates: [],
    groupByAliasToAggregateType: {},
    rewrittenQuery: "",
    hasSelectValue: false,
    dCountInfo: null,
    hasNonStreamingOrderBy: false
  };
}

function queryPlan({ query, parameters }) {
  const q = sql.parse(query);
  if (q.groupBy) throw Object.assign(new Error("GROUP BY is not supported by the local Cosmos emulator"), { badRequest: true });
  const info = emptyQueryInfo();
  const plan = { partitionedQueryExecutionInfoVersion: 2, queryInfo: info, queryRanges: [FULL_RANGE] };
  const top = sql.resolveInt(q.top, parameters);
  const offset = sql.resolveInt(q.offset, parameters);
  const limit = sql.resolveInt(q.limit, parameters);
  const window = offset !== null ? offset + limit : null;
  info.hasSelectValue = q.value;

  const agg = q.value ? sql.aggregateCall(q.projection) : null;
  if (agg && (agg.fn === "COUNT" || agg.fn === "SUM") && !q.orderBy.length && !q.distinct && top === null && offset === null) {
    // SELECT VALUE COUNT(...): each range returns [{"item": partial}], the SDK adds them up.
    info.aggregates = [AGGREGATE_NAMES[agg.fn]];
    info.rewrittenQuery = sql.build({ ...q, projection: `[{"item": ${agg.fn}(${agg.arg})}]` });
    return plan;
  }
  if (AGGREGATE_RE.test(q.projection) || (q.distinct && q.orderBy.length)) {
    // Other aggregate and DISTINCT+ORDER BY shapes: the backend computes the
    // final answer over the single range; the SDK just streams it.
    return plan;
  }
  if (q.distinct) info.distinctType = "Unordered";
  info.top = top;
  info.offset = offset;
  info.limit = limit;
  if (q.orderBy.length) {
    info.orderBy = q.orderBy.map(o => (o.desc ? "Descending" : "Ascending"));
    info.orderByExpressions = q.orderBy.map(o => o.expr);
    info.rewrittenQuery = rewriteOrderBy(q, top !== null ? top : window);
  } else if (offset !== null) {
    // OFFSET/LIMIT is applied by the SDK; each range only needs offset+limit rows.
    info.rewrittenQuery = sql.build({ ...q, top: window, offset: null, limit: null });
  }
  return plan;
}

module.exports = { queryPlan, rewriteOrderBy, isRewrittenOrderBy, FILTER_PLACEHOLDER, AGGREGATE_RE };
