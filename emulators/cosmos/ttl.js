"use strict";
// Time-to-live. The package stores defaultTimeToLive and per-item ttl but
// never expires anything. We sweep a container's expired items before every
// request that touches its documents, so reads, queries, read-feeds and
// writes never see them (the real service hides expired items immediately
// too, even before its background deletion runs).

function ttlOf(doc, defaultTtl) {
  // TTL is off unless the container has defaultTimeToLive (-1 = on, no default).
  if (typeof defaultTtl !== "number") return null;
  const ttl = typeof doc.ttl === "number" ? doc.ttl : defaultTtl;
  return ttl > 0 ? ttl : null;
}

function isExpired(doc, defaultTtl, nowSeconds) {
  const ttl = ttlOf(doc, defaultTtl);
  return ttl !== null && nowSeconds >= doc._ts + ttl;
}

// The REST property is "defaultTtl" (the SDKs' DefaultTimeToLive).
function defaultTtlOf(props) {
  return typeof props.defaultTtl === "number" ? props.defaultTtl : props.defaultTimeToLive;
}

function sweep(collection, nowSeconds = Date.now() / 1000) {
  const props = collection.read();
  const defaultTtl = props && defaultTtlOf(props);
  if (typeof defaultTtl !== "number") return;
  const docs = collection.documents;
  for (const item of [...docs._data.values()]) {
    const doc = item.read();
    if (isExpired(doc, defaultTtl, nowSeconds)) docs.delete(doc.id, docs._getPartition(doc));
  }
}

module.exports = { sweep, isExpired };
