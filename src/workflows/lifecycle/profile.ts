import type { Actor, Profile, ProfileChanges } from '../../domain/account';
import { displayName } from '../../domain/display-name';
import { act } from './act';
import { record, type Lifecycle } from './context';

/** R25, R5, R7: an administrator's edit; a UK mobile set on an account disabled for a non-UK one re-enables it. */
export async function editAttributes(
  lc: Lifecycle,
  { actor, changes }: { actor: Actor; changes: ProfileChanges },
): Promise<void> {
  const { state } = lc;
  const profile = applyChanges(state.profile, changes);
  const diff = differences(state.profile, profile);
  const reenable = state.disabledReason === 'NonUkMobile' && !!changes.mobile;
  if (Object.keys(diff).length > 0) {
    state.profile = profile;
    const name = displayName(profile.firstName, profile.lastName);
    if (name !== state.displayName) {
      diff.displayName = { from: state.displayName, to: name };
      state.displayName = name;
      await act.updatePlatformAccount(state.id, { displayName: name });
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

/** R14: notes, at any time. */
export function setNotes(lc: Lifecycle, { actor, notes }: { actor: Actor; notes: string }): void {
  const { state } = lc;
  if (notes === state.notes) return;
  record(lc, actor, 'Notes changed', { changes: { notes: { from: state.notes, to: notes } } });
  state.notes = notes;
}

/** R26: the user's phone numbers hidden from or shown in the directory. */
export function setPhoneVisibility(
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

function applyChanges(profile: Profile, changes: ProfileChanges): Profile {
  const next: Record<string, unknown> = { ...profile };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as unknown as Profile;
}

function differences(before: Profile, after: Profile): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof Profile)[]);
  for (const key of keys) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      diff[key] = { from: before[key] ?? null, to: after[key] ?? null };
    }
  }
  return diff;
}
