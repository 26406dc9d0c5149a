import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadTemporalConfig } from '../../temporal-config';
import { resolveTemporalCli } from '../../src/servers/dev-server';
import { resolveTestServer, TEST_SERVER_HELP } from '../../src/servers/test-server';

let env: TestWorkflowEnvironment | undefined;

/** The one time-skipping environment every test shares (each test runs its worker on its own task queue). */
export function testEnv(): TestWorkflowEnvironment {
  if (!env) throw new Error('The time-skipping test environment is not started');
  return env;
}

export async function mochaGlobalSetup(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadTemporalConfig();
  const log = (m: string) => console.log(`  [servers] ${m}`);
  await resolveTemporalCli(config, log);
  const { executable, source } = await resolveTestServer(config, log);
  try {
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable } });
  } catch (err) {
    throw new Error(`${TEST_SERVER_HELP}\nFound: ${source}. Cause: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

export async function mochaGlobalTeardown(): Promise<void> {
  await env?.teardown();
}
