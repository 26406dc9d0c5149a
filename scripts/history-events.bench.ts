import { setNotesUpdate, startMfaExceptionUpdate } from '../src/workflows/definitions';
import { ADMIN, DAY, lifecycleHarness, report } from '../test/helpers/lifecycle-harness';
import { happyPath } from '../test/replay/representative-lifecycles';

/**
 * `npm run bench:history`: how many history events a lifecycle writes, printed, not asserted. The
 * happy path (create to canSendEmail), and two years of an account in use: a notes change a month, a short
 * MFA exception a quarter, with and without a daily sign-in (R30), on the time-skipping server.
 */
const SIGN_INS = process.env.BENCH_SIGN_INS !== '0';

describe('History events per lifecycle', () => {
  it('prints the figures', async () => {
    const h = await lifecycleHarness();
    await h.run(async () => {
      const { handle } = await happyPath(h);
      const happy = (await handle.fetchHistory()).events!.length;
      for (let day = 1; day <= 730; day++) {
        if (SIGN_INS) await report(handle, { type: 'SignedIn' });
        if (day % 30 === 0) {
          await handle.executeUpdate(setNotesUpdate, {
            args: [{ actor: ADMIN, notes: `month ${day / 30}` }],
          });
        }
        if (day % 91 === 0) {
          await handle.executeUpdate(startMfaExceptionUpdate, {
            args: [{ actor: ADMIN, term: 'short', riskAssessmentRef: `RA-${day}` }],
          });
        }
        await h.sleep(DAY);
      }
      const runs = [];
      let run = (await handle.describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
      while (run) {
        const history = await handle.client.getHandle(handle.workflowId, run).fetchHistory();
        runs.push(history.events!.length);
        const last = history.events![history.events!.length - 1];
        run = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
      }
      console.log(`happy path: ${happy} events`);
      console.log(
        `two years (${SIGN_INS ? 'a sign-in a day, ' : ''}24 notes, 8 short MFA exceptions): ` +
          `${runs.reduce((a, b) => a + b, 0)} events in ${runs.length} run(s): ${runs.join(', ')}`,
      );
    });
  });
});
