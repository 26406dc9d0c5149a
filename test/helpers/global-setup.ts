import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { loadTemporalConfig } from '../../temporal-config';
import { resolveTemporalCli } from '../../src/servers/dev-server';
import { resolveTestServer, TEST_SERVER_HELP } from '../../src/servers/test-server';
import { registerSearchAttributes } from '../../src/temporal/register-search-attributes';
import { stopPostgres } from './postgres-fixture';
import { testDataConverter } from './test-keys';

let env: TestWorkflowEnvironment | undefined;
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The product's workflows, bundled once for the whole run. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: Runtime.instance().logger,
  });
  return bundle;
}

/** The one time-skipping environment every test shares (each test runs its worker on its own task queue). */
export function testEnv(): TestWorkflowEnvironment {
  if (!env) throw new Error('The time-skipping test environment is not started');
  return env;
}

export async function mochaGlobalSetup(): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
  });
  const config = loadTemporalConfig();
  const log = (m: string) => console.log(`  [servers] ${m}`);
  await resolveTemporalCli(config, log);
  const { executable, source } = await resolveTestServer(config, log);
  try {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable },
      client: { dataConverter: testDataConverter },
    });
  } catch (err) {
    throw new Error(`${TEST_SERVER_HELP}\nFound: ${source}. Cause: ${(err as Error).message}`, {
      cause: err,
    });
  }
  await registerSearchAttributes(env.connection, 'default');
}

export async function mochaGlobalTeardown(): Promise<void> {
  await stopPostgres();
  await env?.teardown();
}
