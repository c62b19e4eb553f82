// `npm run package`: build, then zip dist/ into release/securevault-<version>.zip for a store upload.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { DIST, ROOT } from './launch.mjs';

execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });

/** @type {Record<string, Uint8Array>} */
const files = {};
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else files[path.relative(DIST, full).split(path.sep).join('/')] = readFileSync(full);
  }
};
walk(DIST);
const manifest = JSON.parse(readFileSync(path.join(DIST, 'manifest.json'), 'utf8'));
const outDir = path.join(ROOT, 'release');
mkdirSync(outDir, { recursive: true });
const out = path.join(outDir, `securevault-${manifest.version}.zip`);
// Fixed timestamps make the archive reproducible for the same build.
writeFileSync(out, zipSync(files, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') }));
console.log(`${out}: ${Object.keys(files).length} files, ${(statSync(out).size / 1024).toFixed(0)} KiB`);
