import path from 'node:path';
import ms, { type StringValue } from 'ms';
import { requiredGroupNames } from '../src/adapters/graph/graph-settings';
import { PROJECT_ROOT } from '../src/project-root';
import { GraphDouble } from '../test/graph-double/graph-double';

/**
 * `npm run graph-double`: the Microsoft Graph test double on https://127.0.0.1:8443 (GRAPH_DOUBLE_PORT),
 * its CA certificate and groups file in data/graph-double (GRAPH_DOUBLE_DIR); prints the settings with which
 * `npm start` provisions on it, then one line per Graph call until Ctrl-C. A mailbox takes 20 seconds
 * (GRAPH_DOUBLE_MAILBOX_DELAY), the rest of the licence 15 seconds more (GRAPH_DOUBLE_SERVICES_DELAY).
 */
async function main() {
  const port = Number(process.env.GRAPH_DOUBLE_PORT ?? 8443);
  const dir = path.resolve(process.env.GRAPH_DOUBLE_DIR ?? path.join(PROJECT_ROOT, 'data/graph-double'));
  const delay = (name: string, fallback: string) => ms((process.env[name] ?? fallback) as StringValue);
  const double = await new GraphDouble(requiredGroupNames(), {
    mailboxDelayMs: delay('GRAPH_DOUBLE_MAILBOX_DELAY', '20s'),
    servicesDelayMs: delay('GRAPH_DOUBLE_SERVICES_DELAY', '15s'),
  }).start(port);
  const env = double.engineSettings(dir);
  console.log(`The Microsoft Graph double is at ${double.baseUrl} (a test double: its secret is public).`);
  console.log('In another terminal, start the engine on it:\n');
  console.log(
    `${Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' \\\n')} \\\nnpm start\n`,
  );
  console.log('Each call it answers, as Graph would (Ctrl-C to stop):');
  let shown = 0;
  const timer = setInterval(() => {
    for (const call of double.calls.slice(shown)) {
      const about = Object.values(call.params).join(' ');
      console.log(
        `${new Date(call.at).toISOString()} ${call.method} ${call.template} ${call.status} ${about}`,
      );
    }
    shown = double.calls.length;
    for (const violation of double.violations.splice(0))
      console.log(`NOT AS GRAPH'S DESCRIPTION ALLOWS: ${violation}`);
  }, 250);
  const stop = () => {
    clearInterval(timer);
    void double.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
