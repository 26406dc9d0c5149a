import fs from 'node:fs';
import { z } from 'zod';
import { defaultPolicyFor, mfaGroupFor } from '../../domain/organisation';
import { referenceData } from '../../reference/reference-data';

/** The Microsoft Graph tenant, the app registration and the objects the engine uses in it. */
export interface GraphSettings {
  tenantId: string;
  clientId: string;
  /** Exactly one of the two: a client secret, or a PEM file with the certificate and its private key. */
  clientSecret?: string;
  clientCertificatePath?: string;
  authorityHost: string;
  /** Graph's v1.0 endpoint, without a trailing slash. */
  baseUrl: string;
  /** The engine's group and policy names to Graph group object ids (group-based assignment). */
  groups: Record<string, string>;
  licenceSkuId: string;
  /** The mailbox R28's notices are sent from. */
  noticeSender: string;
  /** PEM certificates to trust besides the system's (a test double, or a TLS-inspecting proxy). */
  extraCaCertificates?: string;
}

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,10}$/i;
const MAILBOX = /^[a-z0-9._'+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,10}$/i;
const hasControl = (v: string) => [...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

const guid = (name: string) => z.string().regex(GUID, `${name} must be a GUID (the object's id in Entra ID)`);
const httpsUrl = (name: string) =>
  z
    .string()
    .refine((v) => URL.canParse(v) && new URL(v).protocol === 'https:', `${name} must be an https:// URL`);

const schema = z.object({
  GRAPH_TENANT_ID: z
    .string({ error: 'GRAPH_TENANT_ID is required with MAIL_PLATFORM=graph' })
    .refine((v) => GUID.test(v) || DOMAIN.test(v), 'GRAPH_TENANT_ID must be a GUID or a domain name'),
  GRAPH_CLIENT_ID: z
    .string({ error: 'GRAPH_CLIENT_ID is required with MAIL_PLATFORM=graph' })
    .pipe(guid('GRAPH_CLIENT_ID')),
  GRAPH_CLIENT_SECRET: z
    .string()
    .min(1, 'GRAPH_CLIENT_SECRET must not be empty')
    .refine((v) => !hasControl(v), 'GRAPH_CLIENT_SECRET must not hold control characters')
    .optional(),
  GRAPH_CLIENT_CERTIFICATE_PATH: z.string().min(1).optional(),
  GRAPH_AUTHORITY_HOST: httpsUrl('GRAPH_AUTHORITY_HOST').default(DEFAULT_AUTHORITY_HOST),
  GRAPH_BASE_URL: httpsUrl('GRAPH_BASE_URL').default(DEFAULT_GRAPH_BASE_URL),
  GRAPH_GROUPS_FILE: z.string({ error: 'GRAPH_GROUPS_FILE is required with MAIL_PLATFORM=graph' }).min(1),
  GRAPH_LICENCE_SKU_ID: z
    .string({ error: 'GRAPH_LICENCE_SKU_ID is required with MAIL_PLATFORM=graph' })
    .pipe(guid('GRAPH_LICENCE_SKU_ID')),
  GRAPH_NOTICE_SENDER: z
    .string({ error: 'GRAPH_NOTICE_SENDER is required with MAIL_PLATFORM=graph' })
    .regex(MAILBOX, 'GRAPH_NOTICE_SENDER must be a mailbox address'),
  GRAPH_CA_FILE: z.string().min(1).optional(),
});

/**
 * The Graph settings from the environment, each refused by name when missing or malformed; never a
 * secret's value in a message.
 */
export function loadGraphSettings(env: NodeJS.ProcessEnv): GraphSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const messages = parsed.error.issues.map((i) => i.message);
    throw new Error(`Invalid Microsoft Graph configuration: ${[...new Set(messages)].join('; ')}`);
  }
  const e = parsed.data;
  if (!e.GRAPH_CLIENT_SECRET === !e.GRAPH_CLIENT_CERTIFICATE_PATH) {
    throw new Error(
      'Invalid Microsoft Graph configuration: set exactly one of GRAPH_CLIENT_SECRET and GRAPH_CLIENT_CERTIFICATE_PATH',
    );
  }
  if (e.GRAPH_CLIENT_CERTIFICATE_PATH) {
    const pem = readFile('GRAPH_CLIENT_CERTIFICATE_PATH', e.GRAPH_CLIENT_CERTIFICATE_PATH);
    if (
      !/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(pem) ||
      !pem.includes('-----BEGIN CERTIFICATE-----')
    ) {
      throw new Error(
        'Invalid Microsoft Graph configuration: GRAPH_CLIENT_CERTIFICATE_PATH must be a PEM file holding the certificate and its private key',
      );
    }
  }
  const extraCaCertificates = e.GRAPH_CA_FILE && readFile('GRAPH_CA_FILE', e.GRAPH_CA_FILE);
  if (extraCaCertificates !== undefined && !extraCaCertificates.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(
      'Invalid Microsoft Graph configuration: GRAPH_CA_FILE must be a PEM file of certificates',
    );
  }
  return {
    tenantId: e.GRAPH_TENANT_ID,
    clientId: e.GRAPH_CLIENT_ID,
    ...(e.GRAPH_CLIENT_SECRET ? { clientSecret: e.GRAPH_CLIENT_SECRET } : {}),
    ...(e.GRAPH_CLIENT_CERTIFICATE_PATH ? { clientCertificatePath: e.GRAPH_CLIENT_CERTIFICATE_PATH } : {}),
    authorityHost: withoutTrailingSlashes(e.GRAPH_AUTHORITY_HOST),
    baseUrl: withoutTrailingSlashes(e.GRAPH_BASE_URL),
    groups: loadGroups(e.GRAPH_GROUPS_FILE),
    licenceSkuId: e.GRAPH_LICENCE_SKU_ID,
    noticeSender: e.GRAPH_NOTICE_SENDER,
    ...(extraCaCertificates ? { extraCaCertificates } : {}),
  };
}

/** Every group and policy name the register's organisations may need: the MFA groups and default policies. */
export function requiredGroupNames(): string[] {
  const names = new Set<string>();
  for (const org of referenceData.organisations) {
    const group = mfaGroupFor(org);
    const policy = defaultPolicyFor(org);
    if (group) names.add(group);
    if (policy) names.add(policy);
  }
  return [...names].sort();
}

/** The names of policies (not MFA groups): each organisation's own default policy. */
export function policyNames(): Set<string> {
  return new Set(referenceData.organisations.map(defaultPolicyFor).filter((p): p is string => p !== null));
}

function loadGroups(file: string): Record<string, string> {
  let groups: unknown;
  try {
    groups = JSON.parse(readFile('GRAPH_GROUPS_FILE', file));
  } catch (err) {
    if (err instanceof SyntaxError) {
      throw new Error('Invalid Microsoft Graph configuration: GRAPH_GROUPS_FILE is not JSON', { cause: err });
    }
    throw err;
  }
  const parsed = z.record(z.string(), z.string().regex(GUID)).safeParse(groups);
  if (!parsed.success) {
    throw new Error(
      'Invalid Microsoft Graph configuration: GRAPH_GROUPS_FILE must be a JSON object from group and policy ' +
        'names to Graph group object ids (GUIDs)',
    );
  }
  const missing = requiredGroupNames().filter((name) => !(name in parsed.data));
  if (missing.length > 0) {
    throw new Error(
      `Invalid Microsoft Graph configuration: GRAPH_GROUPS_FILE has no group id for ${missing.join(', ')}`,
    );
  }
  return parsed.data;
}

function readFile(name: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(
      `Invalid Microsoft Graph configuration: ${name} names a file that cannot be read: ${file}`,
    );
  }
}

/** A URL without the slashes it ends with (a loop: a pattern anchored at the end would backtrack). */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}
