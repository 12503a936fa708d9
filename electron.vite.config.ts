import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// Explicit entries: electron-vite's defaults (src/main, src/preload, src/renderer) do not match our layout.
export default defineConfig({
  main: {
    build: {
      // better-sqlite3 and js-yaml stay require()'d from node_modules (externalizeDeps defaults to true).
      rolldownOptions: { input: { index: resolve(__dirname, 'src-main/app/index.ts') } }
    }
  },
  preload: {
    build: {
      rolldownOptions: { input: { index: resolve(__dirname, 'src-main/preload/index.ts') } }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    build: {
      minify: true,
      rolldownOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } }
    },
    plugins: [react()]
  }
})
