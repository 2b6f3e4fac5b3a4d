/**
 * @module HTTP status per error (spec §1.1): real Cognito answers 400 for every client fault except
 * WAF blocks, while the model declares 403/404/429 for some; the model's codes are a switch away.
 */
import { errorShapes } from '../model/generated/operations.ts';

const OBSERVED: Readonly<Record<string, number>> = {
  ForbiddenException: 403,
  // Modelled as 401 and not observed otherwise (sign-in spec §2.4, I): RevokeToken's bad client secret.
  UnauthorizedException: 401,
  InternalErrorException: 500,
};

export function statusFor(type: string, modelled: boolean): number {
  if (modelled) return errorShapes[type]?.httpStatus ?? OBSERVED[type] ?? 400;
  return OBSERVED[type] ?? 400;
}
