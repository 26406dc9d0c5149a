import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** How a POST /v1/accounts ended, as the administrator saw it: a fixed set, never the request's content. */
export type CreateOutcome =
  | 'created'
  | 'replayed'
  | 'duplicate'
  | 'possible-duplicate'
  | 'in-progress'
  | 'reserved-lifecycle-pending'
  | 'invalid'
  | 'not-allowed'
  | 'failed';

/** What the reconciliation did for one reservation whose lifecycle was not confirmed started. */
export type RepairOutcome = 'lifecycle-started' | 'already-running' | 'failed';

/**
 * The engine's own metrics, in one registry per process, with the Node process's metrics. Every label
 * is from a fixed set (a route template, a status code, an outcome, a rule number): never an address, a
 * name or a phone number.
 */
export class EngineMetrics {
  readonly registry = new Registry();

  private readonly httpRequests = new Histogram({
    name: 'nhsmail_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status, and how long they took',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly creates = new Counter({
    name: 'nhsmail_account_creates_total',
    help: 'POST /v1/accounts by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly refusals = new Counter({
    name: 'nhsmail_lifecycle_refusals_total',
    help: "Changes an account's lifecycle refused, by the rule that refused them",
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });

  private readonly repairs = new Counter({
    name: 'nhsmail_reconciliation_repairs_total',
    help: 'Reservations the reconciliation found without a confirmed lifecycle, by what it did',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.observe({ method, route, status: String(status) }, seconds);
  }

  create(outcome: CreateOutcome): void {
    this.creates.inc({ outcome });
  }

  lifecycleRefusal(rule: string): void {
    this.refusals.inc({ rule });
  }

  reconciliationRepair(outcome: RepairOutcome): void {
    this.repairs.inc({ outcome });
  }
}
