import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { registerSearchAttributes } from '../../temporal/register-search-attributes';

/**
 * Registers `namespace` with `retentionMs` (how long a closed workflow's history is kept) unless it
 * exists, in which case its retention is brought to `retentionMs`; then the engine's search attributes.
 */
export async function registerNamespace(
  connection: Connection,
  namespace: string,
  retentionMs: number,
): Promise<'registered' | 'updated'> {
  const retention = msToTs(retentionMs);
  let outcome: 'registered' | 'updated' = 'registered';
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: retention,
      description: 'NHSmail account lifecycles',
    });
  } catch (err) {
    if (!/already exists|AlreadyExists/i.test((err as Error).message)) throw err;
    await connection.workflowService.updateNamespace({
      namespace,
      config: { workflowExecutionRetentionTtl: retention },
    });
    outcome = 'updated';
  }
  await registerSearchAttributes(connection, namespace);
  return outcome;
}
