#!/usr/bin/env node
'use strict'
// The CLI is the compiled engine (npm run build:engine); this shim only finds it.
const path = require('node:path')
const fs = require('node:fs')
const entry = path.join(__dirname, '..', 'out', 'engine', 'engine', 'cli', 'main.js')
if (!fs.existsSync(entry)) {
  process.stderr.write('peregrine: the engine is not built; run `npm run build` first\n')
  process.exit(2)
}
require(entry)
