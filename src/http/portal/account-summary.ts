import type { AuditEntry } from '../../domain/account';
import type { AccountView } from '../../domain/lifecycle-state';
import { referenceData, type CodedItem } from '../../reference/reference-data';
import type { OrganisationalUnit } from '../../domain/organisation';
import { formatTime } from './format-time';

const namesOf = (codes: string[], items: CodedItem[]) =>
  codes.map((c) => items.find((i) => i.code === c)?.name ?? c).join(', ');

function unitName(units: OrganisationalUnit[], code: string): string | undefined {
  for (const unit of units) {
    if (unit.code === code) return unit.name;
    const inside = unitName(unit.children ?? [], code);
    if (inside) return inside;
  }
  return undefined;
}

/** The account's summary list rows, with the seed's field names and the reference lists' names. */
export function summaryRows(view: AccountView) {
  const p = view.profile;
  const org = referenceData.organisation(view.organisation.code);
  const row = (key: string, value: string | undefined | null) => ({
    key: { text: key },
    value: { text: value || 'Not given' },
  });
  return [
    row('Email address', view.email),
    row('Display Name', view.displayName),
    row('Title', p.title),
    row('First Name', p.firstName),
    row('Last Name', p.lastName),
    row('Mobile', p.mobile),
    row('Telephone', p.telephone),
    row('Pager', p.pager),
    row('Fax', p.fax),
    row('Job Title', p.jobTitle),
    row('Organisation', `${view.organisation.name} (${view.organisation.code})`),
    row(
      'Organisational Unit',
      p.organisationalUnit
        ? (org && unitName(org.units, p.organisationalUnit)) || p.organisationalUnit
        : null,
    ),
    row('Clinical Speciality', namesOf(p.clinicalSpecialities, referenceData.specialities)),
    row('Clinical Role', namesOf(p.clinicalRoles, referenceData.roles)),
    row('Work Area', namesOf(p.workAreas, referenceData.workAreas)),
    row('Site', p.site ? (org?.sites.find((s) => s.code === p.site)?.name ?? p.site) : null),
    row('Mailbox location', view.mailboxLocation ?? 'Not created yet'),
    row(
      'Multi-factor authentication',
      view.mfa.applies
        ? `${view.mfa.group ? `Group ${view.mfa.group}` : 'Applied when the account is Active'}${
            view.mfa.group && !view.mfa.inGroup ? ' (left for an exception)' : ''
          }`
        : 'Does not apply (NAS-managed organisation)',
    ),
    row(
      'Default policy',
      view.defaultPolicy ??
        (view.activatedAt ? 'The national user policy' : 'Applied when the account is Active (R14a)'),
    ),
    row('Phone numbers in the NHS Directory', view.phonesHiddenInDirectory ? 'Hidden' : 'Shown'),
    row('Can send email and use Teams', view.canSendEmail ? 'Yes' : 'Not yet'),
    row('Created', `${formatTime(view.createdAt)} by ${view.createdBy.name}`),
  ];
}

/** The history's changes as lines: "Job title: Staff Nurse → Ward Manager". */
export function historyRows(entries: AuditEntry[]) {
  const shown = (v: unknown) =>
    v === null || v === undefined || v === '' ? '(none)' : Array.isArray(v) ? v.join(', ') : String(v);
  return [...entries].reverse().map((entry) => ({
    ...entry,
    changeLines: Object.entries(entry.changes ?? {}).map(
      ([field, { from, to }]) => `${field}: ${shown(from)} → ${shown(to)}`,
    ),
  }));
}
