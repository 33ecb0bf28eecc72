// Exits 0 when node_modules holds what package-lock.json locks, 1 otherwise: compares the packages of
// the lock with those npm recorded installing (node_modules/.package-lock.json), by content. A newer
// mtime says nothing: a fresh clone or a git worktree gives the lock a new one, and a worktree whose
// node_modules is a link to another checkout's would have `npm ci` wipe that shared tree.
"use strict";
const fs = require("fs");

function packages(path) {
  try {
    return JSON.parse(fs.readFileSync(path, "utf8")).packages;
  } catch {
    return undefined;
  }
}

// Object keys sorted at every level, so the same content in another key order compares equal.
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical(value[key])]));
}

const locked = packages("package-lock.json");
const installed = packages("node_modules/.package-lock.json");
if (!locked || !installed) process.exit(1);
delete locked[""]; // the project itself, which npm never records as installed
process.exit(JSON.stringify(canonical(locked)) === JSON.stringify(canonical(installed)) ? 0 : 1);
