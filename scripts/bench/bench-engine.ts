import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { AesGcmPayloadCodec } from '../../src/crypto/payload-codec';
import { loadKeyRing } from '../../src/crypto/key-ring';
import { startEngine } from '../../src/engine';
import { createLogger } from '../../src/logger';
import { freePort } from '../../test/helpers/free-port';

/**
 * The whole engine on a temporary dev server (a temporary folder, free ports, no logs), as the benchmarks
 * run it, with what a raw Temporal client needs to talk to the same server: its address and data converter.
 */
export async function startBenchEngine(folderPrefix: string) {
  Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), folderPrefix));
  const devPort = await freePort();
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    TEMPORAL_DEV_SERVER_PORT: String(devPort),
    TEMPORAL_UI_PORT: String(await freePort()),
    LOG_LEVEL: 'silent',
    // One principal makes every request: measure the engine, not the per-principal limit.
    RATE_LIMIT_PER_MINUTE: process.env.RATE_LIMIT_PER_MINUTE ?? '1000000',
  };
  const engine = await startEngine(env, createLogger('silent'));
  return {
    engine,
    env,
    address: `127.0.0.1:${devPort}`,
    dataConverter: { payloadCodecs: [new AesGcmPayloadCodec(loadKeyRing(env, dataDir))] },
    stop: async () => {
      await engine.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Names without digits, as the address rule makes digits the tie-breaker (R11). */
export function toLetters(n: number): string {
  let s = '';
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return s;
}
