import type { AccountChanges, MailboxStatus, MailPlatform, PlatformAccount } from '../../ports/mail-platform';
import { EXCHANGE_ONLINE } from '../../domain/account';
import { graphError, type GraphHttp, type GraphResponse } from './graph-http';
import { refused, replicationLag, unexpected } from './graph-failures';
import { policyNames, type GraphSettings } from './graph-settings';
import { markerProperty, newUserBody, userChanges } from './graph-user';

/** A MAPI named property on each notice, so that a notice already sent is found in Sent Items. */
const NOTICE_KEY_PROPERTY = 'String {8b3c4f7e-6a43-4c8e-9d55-2f1b7c9a0e61} Name NhsmailNoticeKey';

interface GraphUser {
  id: string;
  userPrincipalName?: string;
  provisionedPlans?: { service?: string | null; provisioningStatus?: string | null }[];
  signInActivity?: { lastSuccessfulSignInDateTime?: string | null } | null;
  [extension: string]: unknown;
}

/**
 * The mail platform as Microsoft 365 through Microsoft Graph v1.0 (docs/graph.md): a user per account,
 * licensed, in groups for MFA (R21) and policy (R14a, group-based assignment). Every method is safe under
 * retries: a repeat after a lost answer leaves one user, one licence, one membership.
 *
 * What the tenant does not hold stays in the engine: the AUP acceptance and the account secret (the
 * lifecycle's gates, R18, R29), the platform sync after the AUP as NHSmail runs it (here: every service of
 * the licence provisioned, R20), and the NHS Directory (the engine's directory, R26).
 */
export class GraphMailPlatform implements MailPlatform {
  private readonly marker: string;
  private readonly policies = policyNames();

  constructor(
    private readonly http: GraphHttp,
    private readonly settings: GraphSettings,
  ) {
    this.marker = markerProperty(settings.clientId);
  }

  /**
   * R13, R15: the user, then its licence (which provisions the mailbox). A create that finds the address
   * taken adopts the user only if it carries this account's marker (the create's lost answer, retried);
   * any other holder fails the account as a conflict.
   */
  async createAccount(account: PlatformAccount, temporaryPassword: string): Promise<void> {
    const created = await this.http.request('POST', '/users', {
      body: newUserBody(account, temporaryPassword, this.marker),
    });
    let id: string;
    if (created.status === 201) {
      id = (created.body as GraphUser).id;
    } else if (isTakenAddress(created)) {
      const holder = await this.user(account.accountId, ['id', this.marker]);
      if (!holder) throw replicationLag(`create ${account.accountId}`);
      if (holder[this.marker] !== account.accountId) {
        throw refused(
          `${account.accountId} is already held by a user this account did not make ` +
            '(Graph: ObjectConflict on userPrincipalName)',
          'ObjectConflict',
        );
      }
      id = holder.id;
      await this.setPasswordOf(id, temporaryPassword, `adopt ${account.accountId}`);
    } else {
      throw unexpected(created, `create ${account.accountId}`);
    }
    const licensed = await this.http.request('POST', `/users/${id}/assignLicense`, {
      body: { addLicenses: [{ skuId: this.settings.licenceSkuId, disabledPlans: [] }], removeLicenses: [] },
    });
    if (licensed.status === 404) throw replicationLag(`license ${account.accountId}`);
    if (licensed.status !== 200) throw unexpected(licensed, `license ${account.accountId}`);
  }

  /** R15: the mailbox is ready when the licence's Exchange Online plan has been provisioned. */
  async mailboxStatus(accountId: string): Promise<MailboxStatus> {
    const user = await this.user(accountId, ['id', 'provisionedPlans']);
    if (!user) return { state: 'Absent' };
    const exchange = (user.provisionedPlans ?? []).find((p) => p.service === 'exchange');
    return exchange?.provisioningStatus === 'Success'
      ? { state: 'Created', location: EXCHANGE_ONLINE }
      : { state: 'Provisioning' };
  }

  async updateAccount(accountId: string, changes: AccountChanges): Promise<void> {
    const body = userChanges(changes);
    if (Object.keys(body).length === 0) return;
    await this.patch(accountId, body, `update ${accountId}`);
  }

  /** R16, R32: a soft delete: Entra ID keeps the user restorable for 30 days; memberships go with it. */
  async deleteAccount(accountId: string): Promise<void> {
    const res = await this.http.request('DELETE', `/users/${enc(accountId)}`);
    if (res.status !== 204 && res.status !== 404) throw unexpected(res, `delete ${accountId}`);
  }

  /** R32: the deleted user this account made, back from deleted items (its UPN prefixed with its id there). */
  async restoreAccount(accountId: string): Promise<void> {
    const live = await this.user(accountId, ['id', this.marker]);
    if (live?.[this.marker] === accountId) return;
    const filter = `endswith(userPrincipalName,'${odataString(accountId)}')`;
    const found = await this.http.request(
      'GET',
      `/directory/deletedItems/microsoft.graph.user?$filter=${encodeURIComponent(filter)}&$count=true` +
        `&$select=${encodeURIComponent(['id', 'userPrincipalName', this.marker].join(','))}`,
      { headers: { ConsistencyLevel: 'eventual' } },
    );
    if (found.status !== 200) throw unexpected(found, `find deleted ${accountId}`);
    const mine = ((found.body as { value?: GraphUser[] }).value ?? []).find(
      (u) =>
        u[this.marker] === accountId &&
        [u.id, u.id.replace(/-/g, '')].some((id) => u.userPrincipalName === id + accountId),
    );
    if (!mine)
      throw refused(`no deleted user of ${accountId} is left to restore`, 'Request_ResourceNotFound');
    const restored = await this.http.request('POST', `/directory/deletedItems/${mine.id}/restore`, {
      body: {},
    });
    if (restored.status !== 200) throw unexpected(restored, `restore ${accountId}`);
  }

  async setPassword(accountId: string, temporaryPassword: string): Promise<void> {
    await this.setPasswordOf(enc(accountId), temporaryPassword, `set the password of ${accountId}`);
  }

  /** R29: the AUP acceptance and the account secret are the engine's (the lifecycle's gates): no call. */
  async resetAupAndSecret(): Promise<void> {}

  /** R29: every refresh token and session cookie of the user is invalidated. */
  async revokeSessions(accountId: string): Promise<void> {
    const res = await this.http.request('POST', `/users/${enc(accountId)}/revokeSignInSessions`);
    if (res.status === 404) throw replicationLag(`revoke the sessions of ${accountId}`);
    if (res.status !== 200) throw unexpected(res, `revoke the sessions of ${accountId}`);
  }

  /** R20: Microsoft 365 provisions the licence's services by itself: nothing to start. */
  async beginSync(): Promise<void> {}

  /** R20: complete once every service plan of the user's licences is provisioned (Exchange, Teams...). */
  async syncStatus(accountId: string): Promise<{ complete: boolean }> {
    const plans = (await this.user(accountId, ['id', 'provisionedPlans']))?.provisionedPlans ?? [];
    return { complete: plans.length > 0 && plans.every((p) => p.provisioningStatus === 'Success') };
  }

  async addToGroup(accountId: string, group: string): Promise<void> {
    await this.join(accountId, this.groupId(group));
  }

  async removeFromGroup(accountId: string, group: string): Promise<void> {
    await this.leave(accountId, this.groupId(group));
  }

  /** R14a: the policy's group, and none of the other policies' groups. */
  async assignPolicy(accountId: string, policy: string): Promise<void> {
    const target = this.groupId(policy);
    const memberOf = await this.memberOf(accountId);
    for (const other of this.policyGroupIds()) {
      if (other !== target && memberOf.has(other)) await this.leave(accountId, other);
    }
    if (!memberOf.has(target)) await this.join(accountId, target);
  }

  async removePolicy(accountId: string): Promise<void> {
    const memberOf = await this.memberOf(accountId);
    for (const id of this.policyGroupIds()) if (memberOf.has(id)) await this.leave(accountId, id);
  }

  /** R30: Entra ID's record of the user's last successful sign-in (needs AuditLog.Read.All). */
  async lastSignIn(accountId: string): Promise<string | null> {
    const user = await this.user(accountId, ['id', 'signInActivity']);
    return user?.signInActivity?.lastSuccessfulSignInDateTime ?? null;
  }

  /**
   * R28: a mail from the notice sender's mailbox, once per key: a notice whose key is already in its Sent
   * Items is not sent again (a retry after a lost answer).
   */
  async notify(accountId: string, key: string, message: string): Promise<void> {
    const sender = enc(this.settings.noticeSender);
    const filter =
      `singleValueExtendedProperties/any(ep: ep/id eq '${NOTICE_KEY_PROPERTY}' and ` +
      `ep/value eq '${odataString(key)}')`;
    const sent = await this.http.request(
      'GET',
      `/users/${sender}/mailFolders/sentitems/messages?$filter=${encodeURIComponent(filter)}&$select=id&$top=1`,
    );
    if (sent.status !== 200) throw unexpected(sent, 'look for a notice in Sent Items');
    if (((sent.body as { value?: unknown[] }).value ?? []).length > 0) return;
    const res = await this.http.request('POST', `/users/${sender}/sendMail`, {
      body: {
        Message: {
          subject: 'Your NHSmail account',
          body: { contentType: 'text', content: message },
          toRecipients: [{ emailAddress: { address: accountId } }],
          singleValueExtendedProperties: [{ id: NOTICE_KEY_PROPERTY, value: key }],
        },
        SaveToSentItems: true,
      },
    });
    if (res.status !== 202) throw unexpected(res, `notify ${accountId}`);
  }

  /** R7: sign-in blocked; the reason stays in the engine. */
  async disable(accountId: string): Promise<void> {
    await this.patch(accountId, { accountEnabled: false }, `disable ${accountId}`);
  }

  async enable(accountId: string): Promise<void> {
    await this.patch(accountId, { accountEnabled: true }, `enable ${accountId}`);
  }

  private async user(accountId: string, select: string[]): Promise<GraphUser | undefined> {
    const res = await this.http.request(
      'GET',
      `/users/${enc(accountId)}?$select=${encodeURIComponent(select.join(','))}`,
    );
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw unexpected(res, `read ${accountId}`);
    return res.body as GraphUser;
  }

  private async userId(accountId: string): Promise<string> {
    const user = await this.user(accountId, ['id']);
    if (!user) throw replicationLag(`find ${accountId}`);
    return user.id;
  }

  private async patch(accountId: string, body: Record<string, unknown>, what: string): Promise<void> {
    const res = await this.http.request('PATCH', `/users/${enc(accountId)}`, { body });
    if (res.status === 404) throw replicationLag(what);
    if (res.status !== 204) throw unexpected(res, what);
  }

  private async setPasswordOf(user: string, password: string, what: string): Promise<void> {
    const res = await this.http.request('PATCH', `/users/${user}`, {
      body: { passwordProfile: { password, forceChangePasswordNextSignIn: true } },
    });
    if (res.status === 404) throw replicationLag(what);
    if (res.status !== 204) throw unexpected(res, what);
  }

  /** Adds the user to the group; already a member (Graph's 400) is done. */
  private async join(accountId: string, groupId: string): Promise<void> {
    const userId = await this.userId(accountId);
    const res = await this.http.request('POST', `/groups/${groupId}/members/$ref`, {
      body: { '@odata.id': this.http.directoryObjectUrl(userId) },
    });
    if (res.status === 204 || isExistingMember(res)) return;
    throw unexpected(res, `add ${accountId} to group ${groupId}`);
  }

  /** Removes the user from the group; not a member (Graph's 404) is done. */
  private async leave(accountId: string, groupId: string): Promise<void> {
    const userId = await this.userId(accountId);
    const res = await this.http.request('DELETE', `/groups/${groupId}/members/${userId}/$ref`);
    if (res.status === 204 || res.status === 404) return;
    throw unexpected(res, `remove ${accountId} from group ${groupId}`);
  }

  private async memberOf(accountId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    let next: string | undefined = `/users/${enc(accountId)}/memberOf?$select=id`;
    while (next) {
      const res = await this.http.request('GET', next);
      if (res.status === 404) throw replicationLag(`groups of ${accountId}`);
      if (res.status !== 200) throw unexpected(res, `groups of ${accountId}`);
      const page = res.body as { value?: { id: string }[]; '@odata.nextLink'?: string };
      for (const g of page.value ?? []) ids.add(g.id);
      next = page['@odata.nextLink'];
    }
    return ids;
  }

  private groupId(name: string): string {
    const id = this.settings.groups[name];
    if (!id) throw new Error(`GRAPH_GROUPS_FILE has no group id for ${name}`);
    return id;
  }

  private policyGroupIds(): string[] {
    return [...this.policies].map((p) => this.settings.groups[p]).filter((id): id is string => !!id);
  }
}

/** Graph's answer when the userPrincipalName is taken: 400 with an ObjectConflict on that property. */
function isTakenAddress(res: GraphResponse): boolean {
  const error = graphError(res);
  return (
    res.status === 400 &&
    ((error.details ?? []).some((d) => d.code === 'ObjectConflict' && d.target === 'userPrincipalName') ||
      /userPrincipalName already exists/i.test(error.message ?? ''))
  );
}

/** Graph's answer when the user is already a member: 400 "One or more added object references already exist". */
function isExistingMember(res: GraphResponse): boolean {
  return res.status === 400 && /added object references already exist/i.test(graphError(res).message ?? '');
}

const enc = (s: string) => encodeURIComponent(s);
/** A string literal in an OData filter: a single quote is doubled. */
const odataString = (s: string) => s.replace(/'/g, "''");
