/**
 * Builds the renderer into renderer/dist with relative asset paths (base
 * './'), so the same files load from Electron's custom protocol and from any
 * static server.
 *
 * Dev (`npx vite --config renderer/vite.config.ts`) and preview (used by
 * `npm run web`) proxy the backend's routes, so the browser talks to one
 * origin and the backend needs no CORS. FIELDSTOCK_BACKEND_URL says where the
 * backend is (default http://127.0.0.1:4310).
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ProxyOptions } from 'vite';

const backend = process.env.FIELDSTOCK_BACKEND_URL ?? 'http://127.0.0.1:4310';
const proxy: Record<string, ProxyOptions> = Object.fromEntries(['/api', '/healthz', '/readyz'].map((path) => [path, { target: backend }]));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Electron's Chromium and current browsers: no need to down-level modern syntax.
    target: 'es2022',
    // RxDB and Fluent UI make one large chunk; the app is loaded from disk or a LAN, not a phone network.
    chunkSizeWarningLimit: 4096,
  },
  server: { proxy, strictPort: false },
  preview: { proxy },
});
