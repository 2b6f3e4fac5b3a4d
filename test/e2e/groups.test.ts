/**
 * @module Groups through the AWS SDK (docs/groups.md): CreateGroup, GetGroup, ListGroups,
 * UpdateGroup and DeleteGroup with their shapes and errors; memberships by username, alias or
 * `sub`, idempotent both ways; AdminListGroupsForUser and ListUsersInGroup with Limit/NextToken.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  ConfirmSignUpCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
  DeleteUserPoolCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUsersInGroupCommand,
  UpdateGroupCommand,
  type CognitoIdentityProviderClient,
  type GroupType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AWS_ERRORS, assertRejects } from '../helpers/cognito.ts';
import { createPool, signUp } from '../helpers/fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const ROLE = 'arn:aws:iam::123456789012:role/editors';
const GROUP_NOT_FOUND = { type: 'ResourceNotFoundException', message: 'Group not found.' };
const USER_NOT_FOUND = AWS_ERRORS.userNotFound;

describe('groups', () => {
  let server: TestServer;
  let idp: CognitoIdentityProviderClient;
  let poolId: string;
  let clientId: string;

  before(async () => {
    server = await startTestServer();
    idp = server.client();
    ({ poolId, clientId } = await createPool(idp, { AliasAttributes: ['email'] }));
  });
  after(() => server.stop());

  const user = (username: string, email = `${username}@example.com`) =>
    idp.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] }));
  const add = (Username: string, GroupName: string) => idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username, GroupName }));
  const groupsOf = async (Username: string) => (await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username }))).Groups!.map((g) => g.GroupName);

  test('CreateGroup answers the GroupType it stored; GetGroup returns it; a second CreateGroup of the name is GroupExistsException', async () => {
    const before = Math.floor(Date.now() / 1000);
    const created = await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors', Description: 'may edit', RoleArn: ROLE, Precedence: 3 }));
    const group = created.Group!;
    assert.deepEqual({ ...group, CreationDate: undefined, LastModifiedDate: undefined }, {
      GroupName: 'editors', UserPoolId: poolId, Description: 'may edit', RoleArn: ROLE, Precedence: 3, CreationDate: undefined, LastModifiedDate: undefined,
    });
    assert.ok(group.CreationDate instanceof Date && group.CreationDate.getTime() / 1000 >= before - 1);
    assert.deepEqual((await idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'editors' }))).Group, group);

    const bare = (await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'bare' }))).Group!;
    assert.deepEqual(Object.keys(bare), ['GroupName', 'UserPoolId', 'LastModifiedDate', 'CreationDate'], 'unset members are left out');

    await assertRejects(() => idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'editors' })), {
      type: 'GroupExistsException',
      message: 'A group with the name editors already exists.',
    });
    await assertRejects(() => idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'nobody' })), GROUP_NOT_FOUND);
    await assertRejects(() => idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'Editors' })), GROUP_NOT_FOUND);
    await assertRejects(() => idp.send(new CreateGroupCommand({ UserPoolId: 'us-east-1_Missing99', GroupName: 'x' })), {
      type: 'ResourceNotFoundException',
      message: 'User pool us-east-1_Missing99 does not exist.',
    });
  });

  test('the model’s constraints are enforced before anything is stored', async () => {
    const invalid = await assertRejects(() => idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'bad', RoleArn: 'not-an-arn-at-all-really' })), {
      type: 'InvalidParameterException',
      message: "1 validation error detected: Value 'not-an-arn-at-all-really' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:[\\w+=/,.@-]+:([\\w+=/,.@-]*)?:[0-9]+:[\\w+=/,.@-]+(:[\\w+=/,.@-]+)?(:[\\w+=/,.@-]+)?",
    });
    assert.ok(invalid);
    await assertRejects(() => idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'bad' })), GROUP_NOT_FOUND);
  });

  test('UpdateGroup changes only the members it is given; DeleteGroup removes the group and its memberships, not the users', async () => {
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'movers', Description: 'first', Precedence: 9 }));
    const updated = (await idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'movers', RoleArn: ROLE }))).Group!;
    assert.deepEqual([updated.Description, updated.Precedence, updated.RoleArn], ['first', 9, ROLE]);
    const again = (await idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'movers', Precedence: 0, Description: 'second' }))).Group!;
    assert.deepEqual([again.Description, again.Precedence, again.RoleArn], ['second', 0, ROLE]);
    assert.deepEqual((await idp.send(new GetGroupCommand({ UserPoolId: poolId, GroupName: 'movers' }))).Group, again);
    await assertRejects(() => idp.send(new UpdateGroupCommand({ UserPoolId: poolId, GroupName: 'nobody', Precedence: 1 })), GROUP_NOT_FOUND);

    await user('mover');
    await add('mover', 'movers');
    assert.deepEqual(await idp.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'movers' })).then((r) => Object.keys(r)), ['$metadata']);
    await assertRejects(() => idp.send(new DeleteGroupCommand({ UserPoolId: poolId, GroupName: 'movers' })), GROUP_NOT_FOUND);
    assert.deepEqual(await groupsOf('mover'), [], 'the membership went with the group');
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'movers' }));
    assert.deepEqual((await idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'movers' }))).Users, []);
  });

  test('memberships: by username, alias or sub; adding twice and removing a non-member are no errors; unknown user or group are refused', async () => {
    // Signed up and confirmed, so that the email is an active alias.
    await signUp(idp, clientId, 'Member', 'member.alias@example.com');
    await idp.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'Member', ConfirmationCode: await server.latestCode('Member') }));
    const attributes = (await idp.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'Member' }))).UserAttributes!;
    const sub = attributes.find((a) => a.Name === 'sub')!.Value!;
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'club' }));
    await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: 'alpha' }));
    assert.deepEqual(Object.keys(await add('Member', 'club')), ['$metadata']);
    await add('member.alias@example.com', 'club');
    await add(sub, 'alpha');
    assert.deepEqual(await groupsOf('Member'), ['alpha', 'club']);
    assert.deepEqual(await groupsOf('member.alias@example.com'), ['alpha', 'club']);

    await assertRejects(() => add('Member', 'nobody'), GROUP_NOT_FOUND);
    await assertRejects(() => add('ghost', 'club'), USER_NOT_FOUND);
    await assertRejects(() => add('ghost', 'nobody'), USER_NOT_FOUND);
    const remove = (Username: string, GroupName: string) => idp.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: poolId, Username, GroupName }));
    await assertRejects(() => remove('Member', 'nobody'), GROUP_NOT_FOUND);
    await assertRejects(() => remove('ghost', 'club'), USER_NOT_FOUND);
    await assertRejects(() => idp.send(new AdminListGroupsForUserCommand({ UserPoolId: poolId, Username: 'ghost' })), USER_NOT_FOUND);
    await assertRejects(() => idp.send(new ListUsersInGroupCommand({ UserPoolId: poolId, GroupName: 'nobody' })), GROUP_NOT_FOUND);

    await remove('Member', 'club');
    await remove('Member', 'club');
    assert.deepEqual(await groupsOf('Member'), ['alpha']);
  });

  test('ListGroups, AdminListGroupsForUser and ListUsersInGroup page with Limit and NextToken; a Limit of 0 is the default page', async () => {
    const { poolId: own } = await createPool(idp);
    const names = ['g-d', 'g-b', 'g-e', 'g-a', 'g-c'];
    for (const GroupName of names) await idp.send(new CreateGroupCommand({ UserPoolId: own, GroupName }));
    for (const Username of ['u3', 'u1', 'u2']) {
      await idp.send(new AdminCreateUserCommand({ UserPoolId: own, Username, MessageAction: 'SUPPRESS' }));
      for (const GroupName of names) await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: own, Username, GroupName }));
    }
    const pages = async (fetch: (token?: string) => Promise<{ items: string[]; next?: string }>) => {
      const out: string[][] = [];
      let token: string | undefined;
      do {
        const page = await fetch(token);
        out.push(page.items);
        token = page.next;
      } while (token);
      return out;
    };
    const names2 = (groups: GroupType[] | undefined) => groups!.map((g) => g.GroupName!);
    assert.deepEqual(
      await pages(async (NextToken) => {
        const r = await idp.send(new ListGroupsCommand({ UserPoolId: own, Limit: 2, NextToken }));
        return { items: names2(r.Groups), next: r.NextToken };
      }),
      [['g-a', 'g-b'], ['g-c', 'g-d'], ['g-e']],
    );
    assert.deepEqual(
      await pages(async (NextToken) => {
        const r = await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: own, Username: 'u2', Limit: 3, NextToken }));
        return { items: names2(r.Groups), next: r.NextToken };
      }),
      [['g-a', 'g-b', 'g-c'], ['g-d', 'g-e']],
    );
    const users = await pages(async (NextToken) => {
      const r = await idp.send(new ListUsersInGroupCommand({ UserPoolId: own, GroupName: 'g-c', Limit: 2, NextToken }));
      return { items: r.Users!.map((u) => u.Username!), next: r.NextToken };
    });
    assert.deepEqual(users, [['u1', 'u2'], ['u3']]);
    const member = (await idp.send(new ListUsersInGroupCommand({ UserPoolId: own, GroupName: 'g-c', Limit: 0 }))).Users![0]!;
    assert.deepEqual(Object.keys(member), ['Username', 'Attributes', 'UserCreateDate', 'UserLastModifiedDate', 'Enabled', 'UserStatus']);
    assert.equal((await idp.send(new ListGroupsCommand({ UserPoolId: own, Limit: 0 }))).Groups!.length, 5);
    await assertRejects(() => idp.send(new ListGroupsCommand({ UserPoolId: own, NextToken: 'not+a+token' })), {
      type: 'InvalidParameterException',
      message: 'Invalid pagination token.',
    });
  });

  test('a deleted user leaves their groups; a deleted pool takes its groups', async () => {
    const { poolId: own } = await createPool(idp);
    await idp.send(new CreateGroupCommand({ UserPoolId: own, GroupName: 'team' }));
    for (const Username of ['stays', 'leaves']) {
      await idp.send(new AdminCreateUserCommand({ UserPoolId: own, Username, MessageAction: 'SUPPRESS' }));
      await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: own, Username, GroupName: 'team' }));
    }
    await idp.send(new AdminDeleteUserCommand({ UserPoolId: own, Username: 'leaves' }));
    const members = (await idp.send(new ListUsersInGroupCommand({ UserPoolId: own, GroupName: 'team' }))).Users!.map((u) => u.Username);
    assert.deepEqual(members, ['stays']);
    await idp.send(new AdminCreateUserCommand({ UserPoolId: own, Username: 'leaves', MessageAction: 'SUPPRESS' }));
    assert.deepEqual((await idp.send(new AdminListGroupsForUserCommand({ UserPoolId: own, Username: 'leaves' }))).Groups, [], 'a new user of the old name starts in no group');

    await idp.send(new DeleteUserPoolCommand({ UserPoolId: own }));
    await assertRejects(() => idp.send(new GetGroupCommand({ UserPoolId: own, GroupName: 'team' })), {
      type: 'ResourceNotFoundException',
      message: `User pool ${own} does not exist.`,
    });
  });

  // Last: the wipe takes every pool, memberships before groups before users.
  test('the control reset wipes groups and memberships with everything else', async () => {
    const { poolId: own } = await createPool(idp);
    await idp.send(new CreateGroupCommand({ UserPoolId: own, GroupName: 'wiped' }));
    await idp.send(new AdminCreateUserCommand({ UserPoolId: own, Username: 'wiped-user', MessageAction: 'SUPPRESS' }));
    await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: own, Username: 'wiped-user', GroupName: 'wiped' }));
    await server.reset();
    const { poolId: fresh } = await createPool(idp);
    assert.deepEqual((await idp.send(new ListGroupsCommand({ UserPoolId: fresh }))).Groups, []);
    await assertRejects(() => idp.send(new ListGroupsCommand({ UserPoolId: own })), { type: 'ResourceNotFoundException', message: `User pool ${own} does not exist.` });
  });
});
