"use strict";
// Starts server.js as a child process on a free port (--port 0: the OS picks
// one, the startup line tells us which) and talks raw Cosmos REST to it.
const { spawn } = require("child_process");
const path = require("path");

const SERVER = path.join(__dirname, "server.js");
const READY = /^cosmos emulator listening on http:\/\/127\.0\.0\.1:(\d+)$/;

function startServer() {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [SERVER, "--port", "0", "--host", "127.0.0.1"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", d => {
      err += d;
    });
    child.stdout.on("data", d => {
      out += d;
      const line = out.split("\n")[0];
      const m = line.match(READY);
      if (m && out.includes("\n")) {
        const startMs = Number(process.hrtime.bigint() - started) / 1e6;
        resolve({ child, base: `http://127.0.0.1:${m[1]}`, startMs, stdout: () => out, stderr: () => err });
      }
    });
    child.on("exit", code => reject(new Error(`server exited with ${code}: ${err}`)));
  });
}

function stopServer(server, signal = "SIGTERM") {
  return new Promise(resolve => {
    if (server.child.exitCode !== null) return resolve(server.child.exitCode);
    server.child.removeAllListeners("exit");
    server.child.on("exit", (code, sig) => resolve(code === null ? sig : code));
    server.child.kill(signal);
    return undefined;
  });
}

async function request(base, method, urlPath, { body, headers = {} } = {}) {
  const res = await fetch(base + urlPath, {
    method,
    headers: {
      "x-ms-version": "2020-07-15",
      "x-ms-date": new Date().toUTCString(),
      authorization: "type%3Dmaster%26ver%3D1.0%26sig%3Dx",
      ...(body !== undefined && !headers["content-type"] ? { "content-type": "application/json" } : {}),
      ...headers
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const pkHeader = value => ({ "x-ms-documentdb-partitionkey": JSON.stringify([value]) });

// One query page. `options`: pk, maxItemCount, continuation, plan (ask for a query plan).
function query(base, coll, spec, { pk, maxItemCount, continuation, plan } = {}) {
  const headers = {
    "content-type": "application/query+json",
    "x-ms-documentdb-isquery": "True",
    "x-ms-documentdb-query-enablecrosspartition": "True"
  };
  if (pk !== undefined) Object.assign(headers, pkHeader(pk));
  if (maxItemCount !== undefined) headers["x-ms-max-item-count"] = String(maxItemCount);
  if (continuation) headers["x-ms-continuation"] = continuation;
  if (plan) headers["x-ms-cosmos-is-query-plan-request"] = "True";
  return request(base, "POST", `/dbs/db/colls/${coll}/docs`, { body: spec, headers });
}

// Follows continuation tokens to the end; returns all rows and the page count.
async function drain(base, coll, spec, options = {}) {
  const rows = [];
  let continuation;
  let pages = 0;
  do {
    // eslint-disable-next-line no-await-in-loop
    const res = await query(base, coll, spec, { ...options, continuation });
    if (res.status !== 200) throw new Error(`query failed ${res.status}: ${JSON.stringify(res.body)}`);
    if (options.maxItemCount > 0 && res.body.Documents.length > options.maxItemCount) throw new Error("page larger than maxItemCount");
    rows.push(...res.body.Documents);
    continuation = res.headers.get("x-ms-continuation");
    pages += 1;
  } while (continuation && pages < 1000);
  return { rows, pages };
}

async function setup(base, collections) {
  await request(base, "POST", "/dbs", { body: { id: "db" } });
  for (const c of collections) {
    // eslint-disable-next-line no-await-in-loop
    const res = await request(base, "POST", "/dbs/db/colls", { body: { partitionKey: { paths: ["/pk"], kind: "Hash" }, ...c } });
    if (res.status !== 201) throw new Error(`create collection failed: ${JSON.stringify(res.body)}`);
  }
}

function createDoc(base, coll, doc) {
  return request(base, "POST", `/dbs/db/colls/${coll}/docs`, { body: doc, headers: pkHeader(doc.pk) });
}

module.exports = { startServer, stopServer, request, query, drain, setup, createDoc, pkHeader };
