import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/** The dashboard is built into dist/dashboard and served by `cupaas server` under `/`. */
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  plugins: [preact()],
  build: {
    outDir: new URL('../dist/dashboard', import.meta.url).pathname,
    emptyOutDir: true,
    target: 'es2022',
    // One file per chunk; charts load only with the metrics tab.
    assetsInlineLimit: 0,
  },
  logLevel: 'warn',
});
