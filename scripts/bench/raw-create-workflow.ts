import { condition, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

/**
 * The raw side of `npm run bench`: the same shape of work as a create, with nothing of ours in it: a
 * workflow started with an Update that waits for one activity, which sets a password; then, as a lifecycle
 * does, it goes on waiting on a timer.
 */
const { setPassword } = proxyActivities<{ setPassword(id: string): Promise<string> }>({
  startToCloseTimeout: '1 minute',
});

export const takePassword = defineUpdate<string>('takePassword');

export async function rawCreate(id: string): Promise<void> {
  let password: string | null = null;
  let taken = false;
  setHandler(takePassword, async () => {
    await condition(() => password !== null);
    taken = true;
    return password!;
  });
  password = await setPassword(id);
  await condition(() => taken);
  await sleep('1 hour');
}
