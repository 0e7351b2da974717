#!/usr/bin/env node
// Thin entry into the built CLI: dist/bundle is esbuild's bundle of src/ with commander, zod and conf
// inside (fewer files to load at start-up), built by `npm run build`.
import '../dist/bundle/bin.js';
