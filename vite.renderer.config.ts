// The renderer alone, built with plain vite for `peregrine serve` (browser) and the e2e tests; the
// Electron build (electron.vite.config.ts) compiles the same sources for the desktop window.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  root: resolve(__dirname, 'src-renderer'),
  base: './',
  plugins: [react()],
  build: { outDir: resolve(__dirname, 'out/renderer-web'), emptyOutDir: true, minify: true }
})
