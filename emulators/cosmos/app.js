"use strict";
// An HTTP server that runs @vercel/cosmosdb-server's own account model and
// route handlers in this process, and takes over the requests the package
// gets wrong for Microsoft.Azure.Cosmos (Gateway mode):
//   - query plans and document queries / read-feeds  -> plan.js, query.js
//   - partition-key scoping of queries and read-feeds -> scopedDocuments()
//   - 404 instead of 500 for a missing item           -> documentExists()
//   - TTL expiry                                      -> ttl.js
// Everything else (databases, containers, point writes, ETags, patch, ...)
// goes to the package's handlers unchanged.
const http = require("http");
const path = require("path");
const { randomUUID } = require("crypto");
const { serverDir } = require("./engine");
require("./rid"); // installs insertion-ordered document _rids
const planner = require("./plan");
const query = require("./query");
const ttl = require("./ttl");

const lib = name => require(path.join(serverDir, "lib", name));
const Account = lib("account").default;
const route = lib("routes").default;
const getValue = lib("utils/get-value").default;
const { parsePartitionKey } = lib("utils/get-partition-from-header");
const handler = name => lib(`handler/${name}`).default;

const QUERY_DOCUMENTS = handler("query-documents");
const READ_DOCUMENTS = handler("read-documents");
const CREATE_DOCUMENT = handler("create-document");
const SINGLE_DOCUMENT = new Set(["read-document", "replace-document", "delete-document", "patch-document"].map(handler));

// COSMOS_EMULATOR_LOG=1 prints one line per request (for debugging SDK traffic).
const LOG = process.env.COSMOS_EMULATOR_LOG === "1";

const isTrue = (req, name) => String(req.headers[name] || "").toLowerCase() === "true";

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", c => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString()));
    req.on("error", reject);
  });
}

function notFound(res) {
  res.statusCode = 404;
  return { code: "NotFound", message: "Entity with the specified id does not exist in the system." };
}

function badRequest(res, err) {
  res.statusCode = 400;
  return { code: "BadRequest", message: err.message };
}

// x-ms-documentdb-partitionkey is a JSON array: ["value"], [null], or [{}] (PartitionKey.None).
function scopedDocuments(collection, req) {
  const docs = [...collection.documents._data.values()].map(item => item.read());
  const header = req.headers["x-ms-documentdb-partitionkey"];
  if (!header) return docs;
  const key = JSON.parse(header);
  if (!Array.isArray(key) || key.length === 0) return docs;
  const wanted = key[0];
  const none = wanted !== null && typeof wanted === "object" && Object.keys(wanted).length === 0;
  const keyPath = collection.documents._getPartitionKeyPath();
  return docs.filter(doc => {
    const value = getValue(keyPath, doc);
    return none ? value === undefined : value === wanted;
  });
}

function documentExists(collection, req, docId) {
  const header = req.headers["x-ms-documentdb-partitionkey"];
  if (!header) return true; // let the package answer (it defaults the key to the id)
  return !!collection.document(docId, parsePartitionKey(header, docId)).read();
}

async function queryDocuments(collection, req, res) {
  const spec = JSON.parse(await readBody(req));
  if (!collection.read()) return notFound(res);
  if (!spec || typeof spec.query !== "string") return badRequest(res, new Error("missing query"));
  if (LOG) process.stderr.write(`  query: ${spec.query}\n`);
  if (isTrue(req, "x-ms-cosmos-is-query-plan-request")) return planner.queryPlan(spec);
  return page(collection, req, res, spec);
}

function page(collection, req, res, spec) {
  const maxItemCount = parseInt(req.headers["x-ms-max-item-count"] || "-1", 10);
  const { rows, continuation } = query.execute(scopedDocuments(collection, req), spec, {
    maxItemCount,
    continuation: req.headers["x-ms-continuation"],
    udf: collection.documents._userDefinedFunctions()
  });
  if (continuation) res.setHeader("x-ms-continuation", continuation);
  res.setHeader("x-ms-item-count", String(rows.length));
  return { _rid: collection.read()._rid, Documents: rows, _count: rows.length };
}

// Returns a response body if we handle the request, undefined to pass it on.
async function intercept(account, req, res, params, routeHandler) {
  const collection = params.collId ? account.database(params.dbId).collection(params.collId) : null;
  if (!collection || !collection.read()) return undefined;
  ttl.sweep(collection);
  const planRequest = isTrue(req, "x-ms-cosmos-is-query-plan-request");
  if (routeHandler === QUERY_DOCUMENTS || (routeHandler === CREATE_DOCUMENT && planRequest)) {
    return queryDocuments(collection, req, res);
  }
  if (routeHandler === READ_DOCUMENTS && !req.headers["a-im"]) {
    // read-feed = SELECT * FROM c, scoped and paged like a query. (Change
    // feed requests carry A-IM and stay with the package.)
    return page(collection, req, res, { query: "SELECT * FROM c" });
  }
  if (SINGLE_DOCUMENT.has(routeHandler) && !documentExists(collection, req, params.docId)) return notFound(res);
  return undefined;
}

// Mirrors the package's response finishing (which it does not export), with http URLs.
function finish(req, res, body, passthrough) {
  let out = body;
  if (res.statusCode > 399 && out && !out.message) out.message = "";
  if (out && out._etag) res.setHeader("etag", out._etag);
  res.setHeader("content-type", "application/json");
  res.setHeader("content-location", `http://${req.headers.host}${req.url}`);
  res.setHeader("x-ms-activity-id", randomUUID());
  res.setHeader("x-ms-request-charge", "1");
  if (passthrough && req.headers["a-im"] && res.statusCode === 200) {
    if (req.headers["if-none-match"]) res.statusCode = 304;
    res.setHeader("etag", "1");
  }
  res.end(out === undefined ? undefined : JSON.stringify(out));
}

const LOGGED_HEADERS = ["x-ms-documentdb-partitionkey", "x-ms-documentdb-partitionkeyrangeid", "x-ms-max-item-count", "x-ms-continuation", "x-ms-cosmos-is-query-plan-request", "x-ms-documentdb-isquery", "a-im"];

async function handle(account, req, res) {
  if (LOG) {
    const h = LOGGED_HEADERS.filter(n => req.headers[n] !== undefined).map(n => `${n}=${req.headers[n]}`);
    res.on("finish", () => process.stderr.write(`${req.method} ${req.url} ${h.join(" ")} -> ${res.statusCode}\n`));
  }
  const matched = route(req);
  if (!matched) {
    res.statusCode = 400;
    return finish(req, res, { message: "no route" });
  }
  const [params, routeHandler] = matched;
  let body;
  try {
    body = await intercept(account, req, res, params, routeHandler);
    if (body !== undefined) return finish(req, res, body);
    body = await routeHandler(account, req, res, params);
  } catch (err) {
    if (err.badRequest || err instanceof SyntaxError) return finish(req, res, badRequest(res, err));
    // eslint-disable-next-line no-console
    console.error(err);
    res.statusCode = 500;
    body = { message: err.message };
  }
  return finish(req, res, body, true);
}

function createAccount(server) {
  const { address, port } = server.address();
  const host = address === "0.0.0.0" || address === "::" ? "localhost" : address;
  const account = new Account(host, port);
  // The SDK may follow these endpoints; keep them on plain http.
  const endpoint = [{ name: "South Central US", databaseAccountEndpoint: `http://${host}:${port}/` }];
  Object.assign(account.read(), { writableLocations: endpoint, readableLocations: endpoint });
  return account;
}

function createServer() {
  let account;
  const server = http.createServer((req, res) => {
    handle(account, req, res).catch(err => {
      // eslint-disable-next-line no-console
      console.error(err);
      if (!res.writableEnded) {
        res.statusCode = 500;
        res.end("");
      }
    });
  });
  server.on("listening", () => {
    account = createAccount(server);
  });
  return server;
}

module.exports = { createServer };
