#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so the repository needs no build step.
'use strict';
// Lets @fastify/autoload load the .ts route files.
process.env.FASTIFY_AUTOLOAD_TYPESCRIPT ??= '1';
require('tsx/cjs');
require('../main.ts').main(process.argv);
