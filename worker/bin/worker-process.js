#!/usr/bin/env node
// The worker process `npm start` runs beside its API (worker/worker-process.ts), through tsx as the CLI is.
'use strict';
require('tsx/cjs');
require('../worker-process-main.ts');
