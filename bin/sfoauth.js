#!/usr/bin/env node
// Thin entry: everything lives in the compiled dist/ (npm run build).
import '../dist/bin.js';
