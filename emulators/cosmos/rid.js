"use strict";
// Document _rids. The package numbers documents with a counter written
// little-endian into the id bytes, so the numeric _rid order (which the
// .NET SDK compares when it resumes an ORDER BY query) is unrelated to
// insertion order. We write the counter big-endian instead: numeric _rid
// order is then insertion order, as in the real service, and query.js can
// page by it.
const path = require("path");
const { serverDir } = require("./engine");

const ResourceId = require(path.join(serverDir, "lib/account/resource-id")).default;
const Documents = require(path.join(serverDir, "lib/account/documents")).default;

Documents.prototype._rid = function documentRid(counter) {
  const id = Buffer.alloc(8, 0);
  id.writeUIntBE(counter, 1, 6); // byte 7 stays 0: its high nibble is the document type marker
  const rid = ResourceId.parse(this._parent.read()._rid);
  rid.document = ResourceId.bigNumberReadIntBE(id, 0, 8).toString();
  return rid.toString();
};

// The SDK's ResourceId.Document: bytes 8..15 of the rid, big-endian, unsigned.
function ridNumber(rid) {
  const bytes = Buffer.from(String(rid).replace(/-/g, "/"), "base64");
  return bytes.length >= 16 ? bytes.readBigUInt64BE(8) : 0n;
}

module.exports = { ridNumber };
