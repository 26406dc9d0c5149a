import crypto from 'node:crypto';
import type { ApiClient } from '../chaos/api-client';
import { Journeys, newCallerNotes, type JourneyResult, type Person } from '../chaos/journey';

/**
 * Journeys (create to canSendEmail) by four callers, one after another, until stopped; each given up after
 * 8 minutes from the start (a broken upgrade leaves them waiting).
 */
export function continuousJourneys(api: ApiClient) {
  const journeys = new Journeys(
    api,
    crypto.randomBytes(4).toString('hex'),
    Date.now() + 480_000,
    newCallerNotes(),
  );
  const results: JourneyResult[] = [];
  let stopping = false;
  let next = 0;
  const callers = Array.from({ length: 4 }, async () => {
    while (!stopping) {
      const index = next++;
      const person: Person = {
        index,
        firstName: 'Rolling',
        lastName: `Deploy${String(index).padStart(4, '0')}`,
        mobile: `0740030${String(index).padStart(4, '0')}`,
      };
      results.push(await journeys.run(person));
    }
  });
  return {
    async stop() {
      stopping = true;
      await Promise.all(callers);
      return results;
    },
  };
}
