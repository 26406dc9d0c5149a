import { patched } from '@temporalio/workflow';
import type { Actor, AuditValue, Profile, ProfileChanges } from '../../domain/account';
import type { AccountChanges } from '../../ports/mail-platform';
import { displayName } from '../../domain/display-name';
import { editRefusal } from '../../domain/refusals';
import { editAccountUpdate, setDirectoryVisibilityUpdate, setNotesUpdate } from '../definitions';
import { act } from './act';
import { change, NEVER_REFUSED, now, record, type Lifecycle } from './context';

/**
 * R25, R5, R7: an administrator's edit; a UK mobile set on an account disabled for a non-UK one re-enables it.
 * R17, R33: a feed's edit of a Pending account is held, and applied once the account is Active.
 */
export async function editAccount(
  lc: Lifecycle,
  { actor, changes }: { actor: Actor; changes: ProfileChanges },
): Promise<void> {
  const { state } = lc;
  if (state.status === 'Pending') return holdEdit(lc, actor, changes);
  const profile = applyChanges(state.profile, changes);
  const diff = differences(state.profile, profile);
  const reenable = state.disabledReason === 'NonUkMobile' && !!changes.mobile;
  if (Object.keys(diff).length > 0) {
    state.profile = profile;
    const name = displayName(profile.firstName, profile.lastName);
    const platform = platformChanges(diff);
    if (name !== state.displayName) {
      diff.displayName = { from: state.displayName, to: name };
      state.displayName = name;
      await act.updatePlatformAccount(state.id, { displayName: name, ...platform });
    } else if (Object.keys(platform).length > 0 && patched(PLATFORM_HOLDS_PROFILE)) {
      await act.updatePlatformAccount(state.id, platform);
    }
    record(lc, actor, 'Attributes edited', { changes: diff });
  }
  if (reenable) {
    await act.enableAccount(state.id);
    state.status = 'Active';
    state.disabledReason = null;
    delete state.disabledBecause;
    record(lc, actor, 'Account re-enabled: a UK mobile number was set (R7)');
  }
}

/** R17, R33: the edit waits for the mailbox; a later one adds to it, field by field. */
function holdEdit(lc: Lifecycle, actor: Actor, changes: ProfileChanges): void {
  const { state } = lc;
  const held = { ...state.heldEdit?.changes, ...definedOnly(changes) };
  state.heldEdit = { changes: held, since: state.heldEdit?.since ?? now(), by: actor };
  record(lc, actor, 'Edit held until the account is Active (R17, R33)', {
    detail: Object.keys(changes).join(', '),
  });
}

/** R17, R33: the edit held while the account was Pending, applied now that it is Active. */
export async function applyHeldEdit(lc: Lifecycle): Promise<void> {
  const held = lc.state.heldEdit;
  if (!held) return;
  lc.state.heldEdit = null;
  await editAccount(lc, { actor: held.by, changes: held.changes });
}

const definedOnly = (changes: ProfileChanges): ProfileChanges =>
  Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));

/** Lifecycles take up sending every profile field the platform holds (not only the name) by this patch. */
export const PLATFORM_HOLDS_PROFILE = 'platform-holds-profile';

const PLATFORM_FIELDS = [
  'firstName',
  'lastName',
  'jobTitle',
  'mobile',
  'telephone',
  'fax',
  'organisationalUnit',
  'site',
] as const;

/** The changed fields a platform may hold (Microsoft Graph holds them all), a cleared one as null. */
function platformChanges(diff: Record<string, { to: unknown }>): AccountChanges {
  const changes: Record<string, unknown> = {};
  for (const field of PLATFORM_FIELDS) if (field in diff) changes[field] = diff[field]!.to ?? null;
  return changes as AccountChanges;
}

/** R14: notes, at any time. */
export function setNotes(lc: Lifecycle, { actor, notes }: { actor: Actor; notes: string }): void {
  const { state } = lc;
  if (notes === state.notes) return;
  record(lc, actor, 'Notes changed', { changes: { notes: { from: state.notes, to: notes } } });
  state.notes = notes;
}

/** R26: the user's phone numbers hidden from or shown in the directory. */
export function setDirectoryVisibility(
  lc: Lifecycle,
  { actor, hidden }: { actor: Actor; hidden: boolean },
): void {
  const { state } = lc;
  if (hidden === state.phonesHiddenInDirectory) return;
  state.phonesHiddenInDirectory = hidden;
  record(
    lc,
    actor,
    hidden ? 'Phone numbers hidden in the directory' : 'Phone numbers shown in the directory',
  );
}

/** The changes of the account's attributes, notes and directory entry; R17 holds edits until it is Active. */
export const profileChanges = [
  change({
    update: editAccountUpdate,
    refusal: (lc, request) => editRefusal(lc.state, lc.policy, request.actor),
    apply: editAccount,
  }),
  change({ update: setNotesUpdate, refusal: NEVER_REFUSED, apply: setNotes }),
  change({
    update: setDirectoryVisibilityUpdate,
    refusal: (lc) => editRefusal(lc.state, lc.policy),
    apply: setDirectoryVisibility,
  }),
];

function applyChanges(profile: Profile, changes: ProfileChanges): Profile {
  const next: Record<string, unknown> = { ...profile };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as unknown as Profile;
}

function differences(before: Profile, after: Profile): Record<string, { from: AuditValue; to: AuditValue }> {
  const diff: Record<string, { from: AuditValue; to: AuditValue }> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof Profile)[]);
  for (const key of keys) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      diff[key] = { from: before[key] ?? null, to: after[key] ?? null };
    }
  }
  return diff;
}
