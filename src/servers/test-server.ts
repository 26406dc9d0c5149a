import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import type { TemporalConfig } from '../../temporal-config';
import { PROJECT_ROOT } from '../project-root';
import { buildIntoCache, commandWorks, isExecutableFile, runCommand, type Log } from './tools';

/** The Maven project that names the test server's artifact and version. */
export const TEST_SERVER_POM = path.join(PROJECT_ROOT, 'temporal-config/test-server/pom.xml');

export interface ResolvedExecutable {
  executable: EphemeralServerExecutable;
  /** How it was found, for the log and for the error when it does not start. */
  source: 'environment' | 'cache' | 'built' | 'sdk-download';
}

/**
 * Finds the time-skipping test server, in this order: TEMPORAL_TEST_SERVER_PATH; the project's cache;
 * a fresh fetch from Maven Central with mvn and java; otherwise the SDK's own download.
 */
export async function resolveTestServer(config: TemporalConfig, log: Log): Promise<ResolvedExecutable> {
  const explicit = config.tools.testServerPath;
  if (explicit) {
    if (!isExecutableFile(explicit))
      throw new Error(`TEMPORAL_TEST_SERVER_PATH=${explicit} is not an executable file`);
    return { executable: { type: 'existing-path', path: explicit }, source: 'environment' };
  }
  const pom = fs.readFileSync(TEST_SERVER_POM);
  const entry = path.join(config.tools.cacheDir, `test-server-${hash(pom)}`);
  const launcher = path.join(entry, 'temporal-test-server');
  if (isExecutableFile(launcher))
    return { executable: { type: 'existing-path', path: launcher }, source: 'cache' };

  if (commandWorks('mvn', ['--version']) && commandWorks(javaCommand(), ['-version'])) {
    log(`Fetching Temporal's time-skipping test server from Maven Central into ${entry}`);
    const started = Date.now();
    try {
      await buildIntoCache(entry, async (tmp) => {
        await runCommand('mvn', [
          '-q',
          '-B',
          '-f',
          TEST_SERVER_POM,
          'dependency:copy-dependencies',
          `-DoutputDirectory=${tmp}/lib`,
        ]);
        fs.writeFileSync(path.join(tmp, 'temporal-test-server'), launcherScript(path.join(entry, 'lib')), {
          mode: 0o755,
        });
      });
      log(`Test server ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { executable: { type: 'existing-path', path: launcher }, source: 'built' };
    } catch (err) {
      log(
        `Maven could not fetch the test server, falling back to the SDK's download: ${(err as Error).message}`,
      );
    }
  }
  return {
    executable: { type: 'cached-download', downloadDir: path.join(config.tools.cacheDir, 'sdk-download') },
    source: 'sdk-download',
  };
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
    `exec "$JAVA" -cp '${libDir}/*' io.temporal.testserver.TestServer "$@"`,
    '',
  ].join('\n');
}

function hash(content: Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex').slice(0, 12);
}
