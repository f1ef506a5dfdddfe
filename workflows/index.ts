// Every workflow the worker runs; the worker bundles this file.
export { platformCheck } from './platform-check';
export { provinceRun } from './province-run';
export { agencyRun } from './agency-run';
