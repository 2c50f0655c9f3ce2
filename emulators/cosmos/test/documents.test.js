"use strict";
// Point operations through the wrapper: 404s, ETag preconditions, upsert,
// patch (incl. increment) and TTL expiry.
const { describe, before, after, test } = require("node:test");
const assert = require("node:assert");
const { startServer, stopServer, request, drain, setup, createDoc, pkHeader } = require("../test-helpers");

const doc = id => `/dbs/db/colls/state/docs/${id}`;
const inP = pkHeader("p1");

describe("documents", () => {
  let server;
  let base;
  before(async () => {
    server = await startServer();
    base = server.base;
    await setup(base, [{ id: "state" }, { id: "ttl_default", defaultTtl: 1 }, { id: "ttl_item", defaultTtl: -1 }]);
  });
  after(() => stopServer(server));

  test("a missing item is 404 on read, replace, delete and patch", async () => {
    await createDoc(base, "state", { id: "there", pk: "p1" });
    assert.strictEqual((await request(base, "GET", doc("nope"), { headers: inP })).status, 404);
    assert.strictEqual((await request(base, "GET", doc("there"), { headers: pkHeader("p2") })).status, 404);
    assert.strictEqual((await request(base, "PUT", doc("nope"), { body: { id: "nope", pk: "p1" }, headers: inP })).status, 404);
    assert.strictEqual((await request(base, "DELETE", doc("nope"), { headers: inP })).status, 404);
    const patch = await request(base, "PATCH", doc("nope"), { body: { operations: [{ op: "incr", path: "/n", value: 1 }] }, headers: inP });
    assert.strictEqual(patch.status, 404);
    assert.strictEqual((await request(base, "GET", doc("there"), { headers: inP })).status, 200);
  });

  test("IfMatch: stale ETag is 412 on replace, upsert, patch and delete", async () => {
    const created = await createDoc(base, "state", { id: "e", pk: "p1", n: 1 });
    assert.strictEqual(created.status, 201);
    const stale = created.body._etag;
    const replaced = await request(base, "PUT", doc("e"), { body: { id: "e", pk: "p1", n: 2 }, headers: { ...inP, "if-match": stale } });
    assert.strictEqual(replaced.status, 200);
    assert.notStrictEqual(replaced.body._etag, stale);
    const staleHeaders = { ...inP, "if-match": stale };
    assert.strictEqual((await request(base, "PUT", doc("e"), { body: { id: "e", pk: "p1" }, headers: staleHeaders })).status, 412);
    const upsertHeaders = { ...staleHeaders, "x-ms-documentdb-is-upsert": "True" };
    assert.strictEqual((await request(base, "POST", "/dbs/db/colls/state/docs", { body: { id: "e", pk: "p1" }, headers: upsertHeaders })).status, 412);
    assert.strictEqual((await request(base, "PATCH", doc("e"), { body: { operations: [{ op: "set", path: "/x", value: 1 }] }, headers: staleHeaders })).status, 412);
    assert.strictEqual((await request(base, "DELETE", doc("e"), { headers: staleHeaders })).status, 412);
    assert.strictEqual((await request(base, "DELETE", doc("e"), { headers: { ...inP, "if-match": replaced.body._etag } })).status, 204);
  });

  test("upsert creates then replaces; patch increments", async () => {
    const upsert = body => request(base, "POST", "/dbs/db/colls/state/docs", { body, headers: { ...inP, "x-ms-documentdb-is-upsert": "True" } });
    assert.strictEqual((await upsert({ id: "u", pk: "p1", n: 1 })).status, 201);
    assert.strictEqual((await upsert({ id: "u", pk: "p1", n: 5 })).status, 200);
    const patched = await request(base, "PATCH", doc("u"), { body: { operations: [{ op: "incr", path: "/n", value: 3 }, { op: "set", path: "/s", value: "x" }] }, headers: inP });
    assert.strictEqual(patched.status, 200);
    assert.strictEqual(patched.body.n, 8);
    assert.strictEqual(patched.body.s, "x");
  });

  test("TTL: expired items are gone from reads, queries and read-feeds", async () => {
    const ttlDefault = "/dbs/db/colls/ttl_default/docs";
    await request(base, "POST", ttlDefault, { body: { id: "a", pk: "p" }, headers: pkHeader("p") });
    await request(base, "POST", ttlDefault, { body: { id: "keep", pk: "p", ttl: -1 }, headers: pkHeader("p") });
    const ttlItem = "/dbs/db/colls/ttl_item/docs";
    await request(base, "POST", ttlItem, { body: { id: "short", pk: "p", ttl: 1 }, headers: pkHeader("p") });
    await request(base, "POST", ttlItem, { body: { id: "forever", pk: "p" }, headers: pkHeader("p") });
    assert.strictEqual((await request(base, "GET", `${ttlItem}/short`, { headers: pkHeader("p") })).status, 200);

    await new Promise(resolve => setTimeout(resolve, 2100)); // ttl 1 s on whole-second _ts

    assert.strictEqual((await request(base, "GET", `${ttlDefault}/a`, { headers: pkHeader("p") })).status, 404);
    assert.strictEqual((await request(base, "GET", `${ttlItem}/short`, { headers: pkHeader("p") })).status, 404);
    assert.deepStrictEqual((await drain(base, "ttl_default", { query: "SELECT VALUE c.id FROM c" })).rows, ["keep"]);
    const feed = await request(base, "GET", ttlItem, { headers: pkHeader("p") });
    assert.deepStrictEqual(feed.body.Documents.map(d => d.id), ["forever"]);
    // an expired id can be created again
    assert.strictEqual((await request(base, "POST", ttlItem, { body: { id: "short", pk: "p" }, headers: pkHeader("p") })).status, 201);
  });
});
