import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TemporalConfig } from '../../temporal-config';
import { PROJECT_ROOT } from '../project-root';
import { commandWorks, resolveExecutable, runCommand, type Log, type ResolvedExecutable } from './tools';

/** The Maven project that names the test server's artifact and version. */
export const TEST_SERVER_POM = path.join(PROJECT_ROOT, 'temporal-config/test-server/pom.xml');

/**
 * The JVM's settings for a test server that lives minutes: the quick compiler only and the serial collector,
 * which halve its CPU time in a test run (19 s to 10 s over four lifecycle files on two cores), CPU the
 * tests beside it then have.
 */
const JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/**
 * Finds the time-skipping test server, in this order: TEMPORAL_TEST_SERVER_PATH; the project's cache;
 * a fresh fetch from Maven Central with mvn and java; otherwise the SDK's own download.
 */
export function resolveTestServer(config: TemporalConfig, log: Log): Promise<ResolvedExecutable> {
  const entry = path.join(
    config.tools.cacheDir,
    `test-server-${hash(Buffer.concat([fs.readFileSync(TEST_SERVER_POM), Buffer.from(JVM_OPTIONS.join(' '))]))}`,
  );
  return resolveExecutable(
    {
      name: 'time-skipping test server',
      how: 'mvn, from Maven Central',
      variable: 'TEMPORAL_TEST_SERVER_PATH',
      explicitPath: config.tools.testServerPath,
      cacheEntry: entry,
      executableInEntry: 'temporal-test-server',
      canBuild: () => commandWorks('mvn', ['--version']) && commandWorks(javaCommand(), ['-version']),
      build: async (folder) => {
        await runCommand('mvn', [
          '-q',
          '-B',
          '-f',
          TEST_SERVER_POM,
          'dependency:copy-dependencies',
          `-DoutputDirectory=${folder}/lib`,
        ]);
        fs.writeFileSync(path.join(folder, 'temporal-test-server'), launcherScript(path.join(entry, 'lib')), {
          mode: 0o755,
        });
      },
      downloadDir: path.join(config.tools.cacheDir, 'sdk-download'),
    },
    log,
  );
}

export const TEST_SERVER_HELP =
  "Could not start Temporal's time-skipping test server. Install Java 17+ and Maven (the project fetches " +
  'io.temporal:temporal-test-server from Maven Central), or set TEMPORAL_TEST_SERVER_PATH to a test server ' +
  'executable that takes a port argument, or allow the Temporal SDK to download it from the internet.';

function javaCommand(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function launcherScript(libDir: string): string {
  return [
    '#!/bin/sh',
    '# Temporal time-skipping test server, fetched by nhsmail-account-engine. Usage: temporal-test-server <port>',
    'if [ -n "$JAVA_HOME" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi',
    `exec "$JAVA" ${JVM_OPTIONS.join(' ')} -cp '${libDir}/*' io.temporal.testserver.TestServer "$@"`,
    '',
  ].join('\n');
}

function hash(content: Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex').slice(0, 12);
}
