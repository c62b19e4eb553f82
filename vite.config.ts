import { defineConfig } from 'vite';
import { crx } from '@crxjs/vite-plugin';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import manifest from './manifest.json' with { type: 'json' };

export default defineConfig(({ command }) => ({
  // crxjs empties the output folder when a config is resolved — including when svelte-check's
  // style preprocessing resolves this config (command 'serve'), which deleted dist/ under a
  // running e2e or bench. The extension is only ever built (`vite build`), so crxjs is for builds.
  plugins: [svelte(), ...(command === 'build' ? [crx({ manifest: manifest as Parameters<typeof crx>[0]['manifest'] })] : [])],
  build: {
    target: 'es2022',
    emptyOutDir: true,
    // The largest chunk is zxcvbn-ts's dictionaries (~1.2 MB), loaded lazily by the popup only.
    chunkSizeWarningLimit: 1400,
    rollupOptions: {
      // crxjs does not emit the offscreen page by itself (it is not named in the manifest);
      // without this, chrome.offscreen.createDocument fails with "Page failed to load."
      input: { offscreen: 'src/offscreen/offscreen.html' },
    },
  },
  worker: { format: 'es' },
}));
