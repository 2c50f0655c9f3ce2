"use strict";
// Query plans, partition scoping and continuation paging over raw REST,
// including the rewritten ORDER BY / COUNT queries the .NET SDK sends back.
const { describe, before, after, test } = require("node:test");
const assert = require("node:assert");
const { startServer, stopServer, query, drain, setup, createDoc, request, pkHeader } = require("../test-helpers");

const PLACEHOLDER = "{documentdb-formattableorderbyquery-filter}";
const STATUSES = ["pending", "processing", "done", "failed"];
const ts = i => new Date(Date.UTC(2025, 0, 1, 0, i % 40)).toISOString(); // 40 distinct values: ties

// 120 jobs over 6 partitions; created_at has ties, job_name is sometimes missing.
const jobs = Array.from({ length: 120 }, (_, i) => {
  const job = { id: `job${String(i).padStart(3, "0")}`, pk: `b${i % 6}`, type: "job", user_id: `u${i % 3}`, status: STATUSES[(i * 7) % 4], created_at: ts((i * 13) % 120), seq: i, batch_id: i % 5 === 0 ? null : `b${i % 6}` };
  if (i % 10 !== 0) job.job_name = `${i % 2 ? "Alpha" : "beta"} job ${i}`;
  return job;
});
const ids = rows => rows.map(r => r.id);
const byPk = pk => jobs.filter(j => j.pk === pk);
// Expected emulator order: by value (missing first), ties in insertion order, reversed for DESC.
function sorted(docs, field, desc) {
  const cmp = (x, y) => (x === y ? 0 : x === undefined ? -1 : y === undefined ? 1 : x < y ? -1 : 1);
  const out = docs.slice().sort((a, b) => cmp(a[field], b[field]) || a.seq - b.seq);
  return desc ? out.reverse() : out;
}

describe("queries", () => {
  let server;
  let base;
  before(async () => {
    server = await startServer();
    base = server.base;
    await setup(base, [{ id: "state" }]);
    for (const job of jobs) {
      // eslint-disable-next-line no-await-in-loop
      const res = await createDoc(base, "state", job);
      assert.strictEqual(res.status, 201);
    }
  });
  after(() => stopServer(server));

  test("query plan: ORDER BY + OFFSET/LIMIT is rewritten with orderByItems", async () => {
    const spec = { query: "SELECT * FROM c WHERE c.type = 'job' AND c.user_id = @user ORDER BY c.created_at DESC OFFSET @skip LIMIT @limit", parameters: [{ name: "@user", value: "u1" }, { name: "@skip", value: 5 }, { name: "@limit", value: 10 }] };
    const res = await query(base, "state", spec, { plan: true });
    assert.strictEqual(res.status, 200);
    const info = res.body.queryInfo;
    assert.deepStrictEqual(info.orderBy, ["Descending"]);
    assert.deepStrictEqual(info.orderByExpressions, ["c.created_at"]);
    assert.strictEqual(info.offset, 5);
    assert.strictEqual(info.limit, 10);
    assert.match(info.rewrittenQuery, /^SELECT TOP 15 c\._rid, \[\{"item": c\.created_at\}\] AS orderByItems, c AS payload FROM c WHERE /);
    assert.ok(info.rewrittenQuery.includes(PLACEHOLDER));
    assert.deepStrictEqual(res.body.queryRanges, [{ min: "", max: "FF", isMinInclusive: true, isMaxInclusive: false }]);
  });

  test("query plan: COUNT, TOP, DISTINCT", async () => {
    const count = (await query(base, "state", { query: "SELECT VALUE COUNT(1) FROM c WHERE c.type = 'job'" }, { plan: true })).body.queryInfo;
    assert.deepStrictEqual(count.aggregates, ["Count"]);
    assert.strictEqual(count.hasSelectValue, true);
    assert.strictEqual(count.rewrittenQuery, `SELECT VALUE [{"item": COUNT(1)}] FROM c WHERE c.type = 'job'`);
    const top = (await query(base, "state", { query: "SELECT TOP @n * FROM c ORDER BY c.seq", parameters: [{ name: "@n", value: 3 }] }, { plan: true })).body.queryInfo;
    assert.strictEqual(top.top, 3);
    const distinct = (await query(base, "state", { query: "SELECT DISTINCT VALUE c.status FROM c" }, { plan: true })).body.queryInfo;
    assert.strictEqual(distinct.distinctType, "Unordered");
    const groupBy = await query(base, "state", { query: "SELECT c.status, COUNT(1) AS n FROM c GROUP BY c.status" }, { plan: true });
    assert.strictEqual(groupBy.status, 400);
  });

  test("rewritten ORDER BY query returns {_rid, orderByItems, payload} rows", async () => {
    const plan = (await query(base, "state", { query: "SELECT * FROM c WHERE c.type = 'job' ORDER BY c.seq ASC" }, { plan: true })).body;
    const sdkQuery = plan.queryInfo.rewrittenQuery.replace(PLACEHOLDER, "c.seq >= 100");
    const res = await query(base, "state", { query: sdkQuery }, { maxItemCount: 5 });
    const row = res.body.Documents[0];
    assert.deepStrictEqual(Object.keys(row).sort(), ["_rid", "orderByItems", "payload"]);
    assert.deepStrictEqual(row.orderByItems, [{ item: 100 }]);
    assert.strictEqual(row.payload.id, "job100");
    assert.strictEqual(row._rid, row.payload._rid);
  });

  test("rewritten COUNT returns [{item: n}]", async () => {
    const res = await query(base, "state", { query: `SELECT VALUE [{"item": COUNT(1)}] FROM c WHERE c.status = @s`, parameters: [{ name: "@s", value: "done" }] });
    assert.deepStrictEqual(res.body.Documents, [[{ item: jobs.filter(j => j.status === "done").length }]]);
  });

  test("a partition key scopes queries and read-feeds", async () => {
    const q = { query: "SELECT * FROM c WHERE c.type = 'job'" };
    assert.deepStrictEqual(ids((await drain(base, "state", q, { pk: "b2" })).rows), ids(byPk("b2")));
    assert.strictEqual((await drain(base, "state", q)).rows.length, 120);
    const count = await query(base, "state", { query: "SELECT VALUE COUNT(1) FROM c" }, { pk: "b3" });
    assert.deepStrictEqual(count.body.Documents, [byPk("b3").length]);
    const feed = await request(base, "GET", "/dbs/db/colls/state/docs", { headers: pkHeader("b4") });
    assert.deepStrictEqual(ids(feed.body.Documents), ids(byPk("b4")));
  });

  for (const [label, pk] of [["cross-partition", undefined], ["single-partition", "b1"]]) {
    const scope = pk === undefined ? jobs : byPk(pk);
    test(`${label}: page sizes 1, 7 and 50 give the same ordered set`, async () => {
      const specs = [
        [{ query: "SELECT * FROM c" }, scope],
        [{ query: "SELECT * FROM c ORDER BY c.created_at ASC" }, sorted(scope, "created_at", false)],
        [{ query: "SELECT * FROM c ORDER BY c.created_at DESC" }, sorted(scope, "created_at", true)],
        [{ query: "SELECT * FROM c ORDER BY c.job_name ASC" }, sorted(scope, "job_name", false)],
        [{ query: "SELECT * FROM c WHERE c.seq > @after ORDER BY c.seq DESC", parameters: [{ name: "@after", value: 17 }] }, sorted(scope.filter(j => j.seq > 17), "seq", true)]
      ];
      for (const [spec, expected] of specs) {
        for (const maxItemCount of [1, 7, 50]) {
          // eslint-disable-next-line no-await-in-loop
          const { rows, pages } = await drain(base, "state", spec, { pk, maxItemCount });
          assert.deepStrictEqual(ids(rows), ids(expected), `${spec.query} page ${maxItemCount}`);
          assert.strictEqual(pages, Math.max(1, Math.ceil(expected.length / maxItemCount)));
        }
      }
    });
  }

  test("projections page too (rows without _rid)", async () => {
    const { rows } = await drain(base, "state", { query: "SELECT c.status FROM c WHERE c.type = 'job'" }, { pk: "b0", maxItemCount: 3 });
    assert.deepStrictEqual(rows, byPk("b0").map(j => ({ status: j.status })));
  });

  test("OFFSET/LIMIT, TOP, CONTAINS(…, true), null, IS_DEFINED, NOT, ARRAY_CONTAINS", async () => {
    const run = async (q, parameters = [], opts = {}) => (await drain(base, "state", { query: q, parameters }, opts)).rows;
    const window = await run("SELECT * FROM c ORDER BY c.seq DESC OFFSET @skip LIMIT @limit", [{ name: "@skip", value: 10 }, { name: "@limit", value: 5 }], { maxItemCount: 2 });
    assert.deepStrictEqual(window.map(r => r.seq), [109, 108, 107, 106, 105]);
    const top = await run("SELECT TOP @n VALUE c.seq FROM c ORDER BY c.seq ASC", [{ name: "@n", value: 4 }]);
    assert.deepStrictEqual(top, [0, 1, 2, 3]);
    const search = await run("SELECT VALUE c.id FROM c WHERE CONTAINS(c.job_name, @q, true)", [{ name: "@q", value: "ALPHA JOB 1" }]);
    assert.deepStrictEqual(search, jobs.filter(j => (j.job_name || "").toLowerCase().includes("alpha job 1")).map(j => j.id));
    const nulls = await run("SELECT VALUE c.id FROM c WHERE c.batch_id = null");
    assert.deepStrictEqual(nulls, jobs.filter(j => j.batch_id === null).map(j => j.id));
    assert.deepStrictEqual(await run("SELECT VALUE c.id FROM c WHERE IS_NULL(c.batch_id)"), nulls);
    const unnamed = await run("SELECT VALUE c.id FROM c WHERE NOT IS_DEFINED(c.job_name)");
    assert.deepStrictEqual(unnamed, jobs.filter(j => j.job_name === undefined).map(j => j.id));
    const statuses = await run("SELECT VALUE c.id FROM c WHERE ARRAY_CONTAINS(@s, c.status)", [{ name: "@s", value: ["done", "failed"] }]);
    assert.deepStrictEqual(statuses, jobs.filter(j => ["done", "failed"].includes(j.status)).map(j => j.id));
    assert.deepStrictEqual(await run("SELECT VALUE 1 + 1"), [2]);
    const distinct = await run("SELECT DISTINCT VALUE c.status FROM c");
    assert.deepStrictEqual(distinct.sort(), [...STATUSES].sort());
  });

  test("a continuation survives updates that move rows out of the result", async () => {
    const spec = { query: "SELECT * FROM c WHERE c.status = 'pending'" };
    const expected = ids(jobs.filter(j => j.status === "pending"));
    const seen = [];
    let continuation;
    do {
      // eslint-disable-next-line no-await-in-loop
      const res = await query(base, "state", spec, { maxItemCount: 4, continuation });
      for (const doc of res.body.Documents) {
        seen.push(doc.id);
        // eslint-disable-next-line no-await-in-loop
        const put = await request(base, "PUT", `/dbs/db/colls/state/docs/${doc.id}`, { body: { ...doc, status: "processing" }, headers: pkHeader(doc.pk) });
        assert.strictEqual(put.status, 200);
      }
      continuation = res.headers.get("x-ms-continuation");
    } while (continuation);
    assert.deepStrictEqual(seen, expected);
  });

  test("bad queries are 400, not 500", async () => {
    assert.strictEqual((await query(base, "state", { query: "SELEC * FROM c" })).status, 400);
    assert.strictEqual((await query(base, "state", { query: "SELECT * FROM c" }, { continuation: "garbage" })).status, 400);
  });
});
