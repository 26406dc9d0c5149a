import type { AccountView } from '../../../domain/lifecycle-state';
import { list, optionalLists, optionalTexts, text, type Form } from './form-values';

const CONTACTS = ['mobile', 'telephone', 'pager', 'fax', 'jobTitle'] as const;
const PLACEMENT = ['organisationalUnit', 'site'] as const;
export const CODE_LISTS = ['clinicalSpecialities', 'clinicalRoles', 'workAreas'] as const;

/** The Add user form's fields, in the seed's order, by the ids their inputs have. */
export const ADD_USER_FIELDS = [
  'title',
  'firstName',
  'lastName',
  ...CONTACTS,
  'emailAlias',
  'organisation',
  ...PLACEMENT,
  ...CODE_LISTS,
  'notes',
  'confirmNotDuplicate',
] as const;

/** The Add user form as a create request (POST /v1/accounts): mandatory fields always, others when given. */
export function createRequestFrom(form: Form): Record<string, unknown> {
  return {
    title: text(form, 'title'),
    firstName: text(form, 'firstName'),
    lastName: text(form, 'lastName'),
    emailAlias: text(form, 'emailAlias'),
    organisation: text(form, 'organisation'),
    ...optionalTexts(form, [...CONTACTS, ...PLACEMENT, 'notes']),
    ...optionalLists(form, CODE_LISTS),
    ...(text(form, 'confirmNotDuplicate') === 'yes' || list(form, 'confirmNotDuplicate').includes('yes')
      ? { confirmNotDuplicate: true }
      : {}),
  };
}

/** A form's values to show again as typed (R4: everything typed is kept). */
export function valuesOf(form: Form): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(form)) {
    if (name !== '_csrf') values[name] = value;
  }
  for (const name of CODE_LISTS) values[name] = list(form, name);
  values.confirmNotDuplicate = list(form, 'confirmNotDuplicate').includes('yes');
  return values;
}

export const EDIT_FIELDS = [
  'title',
  'firstName',
  'lastName',
  ...CONTACTS,
  ...PLACEMENT,
  ...CODE_LISTS,
] as const;

/** The edit form filled with the account as it is. */
export function editValuesOf(view: AccountView): Record<string, unknown> {
  const p = view.profile;
  return {
    title: p.title,
    firstName: p.firstName,
    lastName: p.lastName,
    mobile: p.mobile ?? '',
    telephone: p.telephone ?? '',
    pager: p.pager ?? '',
    fax: p.fax ?? '',
    jobTitle: p.jobTitle ?? '',
    organisationalUnit: p.organisationalUnit ?? '',
    site: p.site ?? '',
    clinicalSpecialities: p.clinicalSpecialities,
    clinicalRoles: p.clinicalRoles,
    workAreas: p.workAreas,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** The edit form as an edit request (PATCH): the fields changed; an emptied optional field is cleared (null). */
export function editRequestFrom(form: Form, view: AccountView): Record<string, unknown> {
  const current = editValuesOf(view);
  const changes: Record<string, unknown> = {};
  for (const name of ['title', 'firstName', 'lastName'] as const) {
    if (text(form, name) !== current[name]) changes[name] = text(form, name);
  }
  for (const name of [...CONTACTS, ...PLACEMENT]) {
    const typed = text(form, name).trim();
    if (typed !== current[name]) changes[name] = typed === '' ? null : typed;
  }
  for (const name of CODE_LISTS) {
    if (!sameSet(list(form, name), current[name] as string[])) changes[name] = list(form, name);
  }
  return changes;
}

export const JOINER_FIELDS = ['organisation', ...PLACEMENT, 'jobTitle', ...CODE_LISTS] as const;

/** The accept-joiner form as a joiner request (POST /v1/accounts/{id}/joiner). */
export function joinerRequestFrom(form: Form): Record<string, unknown> {
  return {
    organisation: text(form, 'organisation'),
    ...optionalTexts(form, [...PLACEMENT, 'jobTitle']),
    ...optionalLists(form, CODE_LISTS),
  };
}
