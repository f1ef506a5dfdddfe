#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so the repository needs no build step.
'use strict';
require('tsx/cjs');
require('../main.ts');
