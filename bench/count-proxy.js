// Counts the requests the app sends to each storage emulator: a plain HTTP pass-through per target.
// usage: node count-proxy.js STATS_FILE name:listenPort:targetPort ...
// SIGUSR1 writes a snapshot to STATS_FILE.start, SIGUSR2 one to STATS_FILE.end; SIGTERM exits.
"use strict";
const fs = require("fs");
const http = require("http");

const [statsFile, ...targets] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const counts = {};

for (const target of targets) {
  const [name, listen, port] = target.split(":");
  http
    .createServer((req, res) => {
      const key = `${name} ${req.method}`;
      counts[key] = (counts[key] || 0) + 1;
      const upstream = http.request({ host: "127.0.0.1", port: Number(port), method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      upstream.on("error", (error) => {
        res.writeHead(502);
        res.end(String(error));
      });
      req.pipe(upstream);
    })
    .listen(Number(listen), "127.0.0.1");
}

process.on("SIGUSR1", () => fs.writeFileSync(`${statsFile}.start`, JSON.stringify(counts)));
process.on("SIGUSR2", () => fs.writeFileSync(`${statsFile}.end`, JSON.stringify(counts)));
process.on("SIGTERM", () => process.exit(0));
