// `npm run vendor`: copies the built chart library files and their licences
// from node_modules into static/vendor/ (committed, embedded in the Go
// binary) and writes static/vendor/manifest.json, which a Go test
// (static/vendor_test.go) checks against package-lock.json and the copied
// files, so the Go build never needs Node. Run only to upgrade: edit
// package.json, `npm install`, `npm run vendor`, commit static/vendor/.
// No dependencies beyond Node's own modules.
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "vendor");

// What is copied: package → [file in the package, name in static/vendor].
const copies = {
  "chart.js": [
    ["dist/chart.umd.min.js", "chart.umd.min.js"],
    ["LICENSE.md", "chart.js.LICENSE.md"],
  ],
  "chartjs-plugin-annotation": [
    ["dist/chartjs-plugin-annotation.min.js", "chartjs-plugin-annotation.min.js"],
    ["LICENSE.md", "chartjs-plugin-annotation.LICENSE.md"],
  ],
};

const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

mkdirSync(out, { recursive: true });
const packages = [];
for (const [name, files] of Object.entries(copies)) {
  const locked = lock.packages?.[`node_modules/${name}`];
  if (!locked) {
    throw new Error(`${name} is not in package-lock.json`);
  }
  const dir = join(root, "node_modules", name);
  const installed = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
  // Copying from a node_modules that disagrees with the lock would record
  // the lock's integrity beside some other version's files.
  if (installed !== locked.version) {
    throw new Error(`node_modules has ${name} ${installed}, package-lock.json ${locked.version}: run npm ci`);
  }
  const entry = { package: name, version: locked.version, integrity: locked.integrity, files: [] };
  for (const [from, to] of files) {
    copyFileSync(join(dir, from), join(out, to));
    entry.files.push({ name: to, from: `${name}/${from}`, sha256: sha256(join(out, to)) });
  }
  packages.push(entry);
}

const manifest = {
  note: "Written by `npm run vendor` (scripts/vendor.mjs); checked by static/vendor_test.go. Do not edit by hand.",
  packages,
};
writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
for (const p of packages) {
  console.log(`static/vendor: ${p.package} ${p.version} (${p.files.map((f) => f.name).join(", ")})`);
}
