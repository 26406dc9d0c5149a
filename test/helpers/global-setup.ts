import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { loadTemporalConfig } from '../../temporal-config';
import { resolveTemporalCli } from '../../src/servers/dev-server';
import { resolveTestServer, TEST_SERVER_HELP } from '../../src/servers/test-server';
import { registerSearchAttributes } from '../../src/temporal/register-search-attributes';
import { workflowBundle as productWorkflowBundle } from '../../src/temporal/workflow-bundle';
import type { ResolvedExecutable } from '../../src/servers/tools';
import { stopPostgres } from './postgres-fixture';
import { testDataConverter } from './test-keys';

let env: TestWorkflowEnvironment | undefined;
let bundle: Promise<WorkflowBundle> | undefined;
const teardowns: (() => Promise<void>)[] = [];

/** Runs `stop` when every test of this mocha process has run: for what its test files share (a browser). */
export function atTeardown(stop: () => Promise<void>): void {
  teardowns.push(stop);
}

/** The product's workflows, bundled once for the whole run (and kept for the next, as a worker keeps them). */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= productWorkflowBundle(
    require.resolve('../../src/workflows'),
    loadTemporalConfig().tools.cacheDir,
  );
  return bundle;
}

/** The one time-skipping environment every test shares (each test runs its worker on its own task queue). */
export function testEnv(): TestWorkflowEnvironment {
  if (!env) throw new Error('The time-skipping test environment is not started');
  return env;
}

/**
 * The time-skipping environment, its client pinging the test server no more often than the server permits:
 * the SDK's client pings every 30 s, calls or none, and the test server (grpc-java, which permits one ping
 * in 5 minutes) answers excess pings by closing the connection (grpc-js logs "rejected by server because of
 * excess pings"), which a run under load met as calls that never returned. createTimeSkipping takes no
 * connection options, so this is what it does, with them.
 */
function createTimeSkipping(executable: ResolvedExecutable['executable']) {
  const create = (
    TestWorkflowEnvironment as unknown as { create(opts: unknown): Promise<TestWorkflowEnvironment> }
  ).create.bind(TestWorkflowEnvironment);
  return create({
    server: { type: 'time-skipping', executable },
    client: { dataConverter: testDataConverter },
    supportsTimeSkipping: true,
    connectionOptions: {
      channelArgs: { 'grpc.keepalive_time_ms': 310_000, 'grpc.keepalive_permit_without_calls': 0 },
    },
  });
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
    env = await createTimeSkipping(executable);
  } catch (err) {
    throw new Error(`${TEST_SERVER_HELP}\nFound: ${source}. Cause: ${(err as Error).message}`, {
      cause: err,
    });
  }
  await registerSearchAttributes(env.connection, 'default');
}

export async function mochaGlobalTeardown(): Promise<void> {
  try {
    await stopPostgres();
    await Promise.allSettled(teardowns.splice(0).map((stop) => stop()));
  } finally {
    await env?.teardown();
  }
}

/**
 * After each test, that the shared server still skips time: 30 s of its time must pass in well under 10 s.
 * A test that ended a workflow with work under way leaves the server holding time still, and every later
 * test that waits on a timer would hang until mocha's timeout: named here instead, at the test that did it.
 */
async function stillSkipsTime(test: string | undefined): Promise<void> {
  if (!env) return;
  let timer: NodeJS.Timeout | undefined;
  const skipped = await Promise.race([
    env.sleep(30_000).then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000))),
  ]);
  clearTimeout(timer);
  if (!skipped) {
    throw new Error(
      `After "${test}", the shared time-skipping server no longer skips time: a workflow the test started ` +
        'was ended with an activity or a workflow task under way (test/helpers/end-test-workflows.ts).',
    );
  }
}

export const mochaHooks = {
  async afterEach(this: Mocha.Context) {
    await stillSkipsTime(this.currentTest?.fullTitle());
  },
};
