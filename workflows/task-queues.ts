/**
 * Transfers have a task queue of their own, beside the one of the runs: the workers on it take
 * few batches at a time (HOTICH_TRANSFER_CONCURRENCY), so that a wave of agencies transferring
 * at once queues in Temporal instead of taking the cores officials' decisions wait for.
 */
export const transferTaskQueue = (taskQueue: string): string => `${taskQueue}-transfer`;
