import { condition } from '@temporalio/workflow';

/** Lets one piece of work at a time change the account, so platform calls never interleave. */
export class Lock {
  private held = false;

  /** Whether some work holds the lock now (and may be about to change the account). */
  get busy(): boolean {
    return this.held;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    // The SDK evaluates every waiting condition in one pass before any waiter resumes, so two waiters can both
    // see the lock free: each looks again when it resumes, and only the first takes it. (The condition itself
    // has no side effect, as the SDK may evaluate it at any activation, a query's included.)
    while (this.held) await condition(() => !this.held);
    this.held = true;
    try {
      return await work();
    } finally {
      this.held = false;
    }
  }
}
