/**
 * @module SignUp (spec §7.1): checks in Cognito's order, the PreSignUp trigger, then the user, its
 * code and its message committed together in one transaction.
 */
import { errors } from '../domain/messages.ts';
import { checkPassword } from '../domain/password-policy.ts';
import { activatedAliases } from '../domain/confirmation.ts';
import type { AliasClaim, UserRecord } from '../domain/records.ts';
import { aliasKey, checkSignUpUsername, looksLikeEmail, usernameKey } from '../domain/usernames.ts';
import type { SignUpRequest } from '../model/generated/types.ts';
import { postConfirmationEvent, preSignUpEvent } from '../triggers/events.ts';
import { newSub } from '../util/ids.ts';
import type { OperationHandler } from './context.ts';
import type { Services } from './services.ts';
import { attributeMap, checkRequiredAttributes, checkUserAttributes } from './shared/attributes.ts';
import { callerAddress, checkSecretHash, enterAsClient } from './shared/entry.ts';
import { applyPreSignUp } from './shared/pre-sign-up.ts';
import { newSession } from './shared/sessions.ts';
import { newCredentials } from './shared/sign-in/credentials.ts';
import { prepareVerification } from './shared/verification.ts';

export function signUp(s: Services): OperationHandler {
  return async (raw, ctx) => {
    const input = raw as unknown as SignUpRequest;
    const { client, pool, poolView, clientView } = await enterAsClient(s, input.ClientId, ctx);
    checkSecretHash(s, client, [input.Username], input.SecretHash);
    s.gate.checkRate(ctx.operation, ctx.now, callerAddress(clientView, ctx, input.UserContextData));
    if (!poolView.selfSignUpAllowed) throw errors.selfSignUpDisabled();

    checkSignUpUsername(poolView, input.Username);
    const attributes = attributeMap(input.UserAttributes);
    checkUserAttributes(pool, attributes, { client });
    // In an email- or phone-as-username pool the username is that attribute's value.
    const fromUsername = poolView.usernameAttributes.length > 0 ? { [looksLikeEmail(input.Username) ? 'email' : 'phone_number']: input.Username } : {};
    checkRequiredAttributes(pool, { ...attributes, ...fromUsername });
    if (input.Password === undefined) throw errors.passwordRequired();
    checkPassword(poolView.passwordPolicy, input.Password);

    // Email/phone-as-username pools keep the value as an attribute and a UUID as the username.
    const sub = newSub();
    const signsInWithAttribute = poolView.usernameAttributes.length > 0;
    const aliases: AliasClaim[] = [];
    if (signsInWithAttribute) {
      const attribute = looksLikeEmail(input.Username) ? 'email' : 'phone_number';
      attributes[attribute] = input.Username;
      aliases.push({ attribute, valueKey: aliasKey(poolView, attribute, input.Username) });
    }
    const username = signsInWithAttribute ? sub : input.Username;
    const key = usernameKey(poolView, username);
    const existing = await s.store.findUser(pool.id, { usernameKey: key, aliases, sub: '' });
    if (existing) throw existsError(aliases);

    const origin = { region: s.region, pool: poolView, clientId: client.clientId, userAgent: ctx.userAgent };
    const draft: UserRecord = {
      poolId: pool.id, username, usernameKey: key, sub, status: 'UNCONFIRMED', enabled: true,
      attributes, passwordHash: null, createdAt: ctx.now, updatedAt: ctx.now,
    };
    const validationData = input.ValidationData ? attributeMap(input.ValidationData) : null;
    const pre = await s.triggers.run(pool, 'PreSignUp', preSignUpEvent(origin, 'PreSignUp_SignUp', draft, validationData, input.ClientMetadata));
    const user = applyPreSignUp(draft, pre);
    const credentials = await newCredentials(s, pool.id, user.username, input.Password);
    user.passwordHash = credentials.passwordHash;

    const verification =
      user.status === 'UNCONFIRMED'
        ? await prepareVerification(s, { pool, poolView, origin, clientId: client.clientId, user, source: 'CustomMessage_SignUp', clientMetadata: input.ClientMetadata, now: ctx.now })
        : undefined;
    const session = clientView.allowsUserAuth ? newSession(s.box, clientView, user, ctx.now) : undefined;
    const result = await s.store.insertUser({
      user,
      srp: credentials.srp,
      passwordSetAt: ctx.now,
      // A PreSignUp-confirmed user's verified alias attributes are active at once.
      aliases: user.status === 'CONFIRMED' ? [...aliases, ...activatedAliases(poolView, user.attributes)] : aliases,
      code: verification?.code,
      messages: verification ? [verification.message] : [],
      session: session?.record,
    });
    // The pool was deleted while the password was hashed; its clients went with it.
    if (result.kind === 'pool-not-found') throw errors.clientNotFound(client.clientId);
    if (result.kind === 'username-exists') throw existsError([]);
    if (result.kind === 'alias-exists') throw existsError(aliases);
    if (verification) s.wakeOutbox();
    // Off by default: Cognito documents PostConfirmation only for the confirming APIs (spec §6.2).
    if (user.status === 'CONFIRMED' && s.triggers.postConfirmationOnAutoConfirm) {
      await s.triggers.run(pool, 'PostConfirmation', postConfirmationEvent(origin, user, input.ClientMetadata));
    }

    return {
      UserConfirmed: user.status === 'CONFIRMED',
      UserSub: sub,
      ...(verification ? { CodeDeliveryDetails: verification.details } : {}),
      ...(session ? { Session: session.token } : {}),
    };
  };
}

function existsError(aliases: AliasClaim[]) {
  const attribute = aliases[0]?.attribute;
  if (attribute === 'email') return errors.emailExists();
  if (attribute === 'phone_number') return errors.phoneExists();
  return errors.usernameExists();
}
