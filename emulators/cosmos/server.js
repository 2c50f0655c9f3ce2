#!/usr/bin/env node
"use strict";
// Local Cosmos DB for NoSQL emulator: @vercel/cosmosdb-server plus the fixes
// in app.js, plain HTTP, in memory.
//   node emulators/cosmos/server.js --port <N> [--host 127.0.0.1]
const { createServer } = require("./app");

function parseArgs(argv) {
  const args = { host: "127.0.0.1", port: 8081 };
  for (let i = 0; i < argv.length; i += 1) {
    const value = argv[i + 1];
    if (argv[i] === "--port" || argv[i] === "-p") {
      args.port = parseInt(value, 10);
      i += 1;
    } else if (argv[i] === "--host") {
      args.host = value;
      i += 1;
    } else if (argv[i] === "--help" || argv[i] === "-h") {
      process.stdout.write("usage: node emulators/cosmos/server.js --port <N> [--host 127.0.0.1]\n");
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument: ${argv[i]}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) {
    process.stderr.write("--port must be 0..65535\n");
    process.exit(2);
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const server = createServer();
server.keepAliveTimeout = 30000;
server.on("error", err => {
  process.stderr.write(`cosmos emulator: ${err.message}\n`);
  process.exit(1);
});
server.listen(args.port, args.host, () => {
  process.stdout.write(`cosmos emulator listening on http://${args.host}:${server.address().port}\n`);
});

function stop() {
  server.close(() => process.exit(0));
  server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
