"use strict";
// Access to the SQL engine that @vercel/cosmosdb-server itself uses
// (@zeit/cosmosdb-query), resolved from the server package so we always
// get the same copy, plus small gap fixes in its built-in functions.
const path = require("path");

const serverDir = path.dirname(require.resolve("@vercel/cosmosdb-server/package.json"));
const queryDir = path.dirname(require.resolve("@zeit/cosmosdb-query/package.json", { paths: [serverDir] }));
const lib = name => require(path.join(queryDir, "lib", name));

const createQuery = lib("index").default;
const aggregateFunctions = lib("aggregate-functions");
const builtinFunctions = lib("builtin-functions");
const helpers = lib("helpers");
const { SyntaxError } = lib("parser");

// Cosmos accepts an optional third "ignore case" argument on CONTAINS,
// STARTSWITH and ENDSWITH (the app's search uses CONTAINS(x, @q, true));
// the bundled engine only knows the two-argument forms.
function withIgnoreCase(name, test) {
  return (...args) => {
    if (args.length < 2 || args.length > 3) throw new SyntaxError(`The ${name} function requires 2 or 3 argument(s)`);
    const [a, b, ignoreCase] = args;
    if (typeof a !== "string" || typeof b !== "string") return undefined;
    if (ignoreCase !== undefined && typeof ignoreCase !== "boolean") return undefined;
    return ignoreCase ? test(a.toLowerCase(), b.toLowerCase()) : test(a, b);
  };
}
builtinFunctions.CONTAINS = withIgnoreCase("CONTAINS", (a, b) => a.includes(b));
builtinFunctions.STARTSWITH = withIgnoreCase("STARTSWITH", (a, b) => a.startsWith(b));
builtinFunctions.ENDSWITH = withIgnoreCase("ENDSWITH", (a, b) => a.endsWith(b));
builtinFunctions.STRINGEQUALS = withIgnoreCase("STRINGEQUALS", (a, b) => a === b);

// Compiled queries, keyed by SQL text. The engine's own exec() builds a new
// Function on every call; we evaluate queries once per document, so cache.
const cache = new Map();
const CACHE_MAX = 500;

function compile(sql) {
  let fn = cache.get(sql);
  if (!fn) {
    const { code } = createQuery(sql);
    // eslint-disable-next-line no-new-func
    fn = new Function(`"use strict";return (${code})`)();
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value);
    cache.set(sql, fn);
  }
  return fn;
}

// Runs `sql` over `docs` (no paging) and returns the result rows.
function run(sql, docs, parameters, udf) {
  const params = {};
  (parameters || []).forEach(({ name, value }) => {
    params[name.slice(1)] = value;
  });
  try {
    return compile(sql)(aggregateFunctions, builtinFunctions, docs, helpers, udf || {}, params, undefined, undefined, undefined).result;
  } catch (err) {
    err.badRequest = true;
    throw err;
  }
}

module.exports = { run, compile, SyntaxError, serverDir };
