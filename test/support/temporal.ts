/** Connects test files to the suite's real Temporal dev server (started by global setup). */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { closedChannelGuardPlugin } from '../../platform/temporal-connection';
import { testEnv } from './env';
import { provinceRunOwnersPlugin } from './run-owners';

export function connectTestTemporal(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: testEnv('temporalAddress'), namespace: 'default', plugins: [closedChannelGuardPlugin, provinceRunOwnersPlugin] });
}

/** A task queue of its own per test, so workers of different files never take each other's tasks. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
