"use strict";
const test = require("node:test");
const assert = require("node:assert");
const { startServer, stopServer, request } = require("../test-helpers");

test("prints exactly one ready line, starts in under 2 s, stops on SIGTERM", async () => {
  const server = await startServer();
  try {
    assert.ok(server.startMs < 2000, `start took ${server.startMs} ms`);
    const res = await request(server.base, "GET", "/");
    assert.strictEqual(res.status, 200);
    // the account must point the SDK back at plain http
    assert.match(res.body.writableLocations[0].databaseAccountEndpoint, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  } finally {
    assert.strictEqual(await stopServer(server, "SIGTERM"), 0);
  }
  assert.match(server.stdout(), /^cosmos emulator listening on http:\/\/127\.0\.0\.1:\d+\n$/);
});

test("stops cleanly on SIGINT with a keep-alive connection open", async () => {
  const server = await startServer();
  await request(server.base, "GET", "/"); // fetch keeps the socket alive
  assert.strictEqual(await stopServer(server, "SIGINT"), 0);
});
