import { condition } from '@temporalio/workflow';

/** Lets one piece of work at a time change the account, so platform calls never interleave. */
export class Lock {
  private held = false;

  async run<T>(work: () => Promise<T>): Promise<T> {
    // Taken inside the condition itself: the SDK evaluates every waiting condition in one pass before any
    // waiter resumes, so a separate "wait until free, then take" would let two waiters in together.
    await condition(() => !this.held && (this.held = true));
    try {
      return await work();
    } finally {
      this.held = false;
    }
  }
}
