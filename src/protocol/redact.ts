/**
 * @module Request logging without secrets: members the model marks sensitive, plus confirmation
 * codes (not marked in the model, but a code in a log is as good as the code) are replaced.
 */
import { sensitiveMembers } from '../model/generated/sensitive.ts';

const HIDDEN = '***';
const ALWAYS = ['ConfirmationCode', 'ClientSecret', 'SecretHash', 'Password', 'TemporaryPassword', 'ProposedPassword', 'PreviousPassword'];

export function redactInput(operation: string, input: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(input);
  for (const path of [...(sensitiveMembers[operation] ?? []), ...ALWAYS]) hide(copy, path.split('.'));
  return copy;
}

function hide(target: unknown, steps: string[]): void {
  if (target === null || typeof target !== 'object') return;
  const [step = '', ...rest] = steps;
  const list = step.endsWith('[]');
  const map = step.endsWith('{}');
  const key = list || map ? step.slice(0, -2) : step;
  const record = target as Record<string, unknown>;
  if (!(key in record)) return;
  const value = record[key];
  if (rest.length === 0 && !list && !map) {
    record[key] = HIDDEN;
    return;
  }
  const children = list && Array.isArray(value) ? value : map && value && typeof value === 'object' ? Object.values(value) : [value];
  if (map && rest.length === 0 && value && typeof value === 'object') {
    for (const k of Object.keys(value)) (value as Record<string, unknown>)[k] = HIDDEN;
    return;
  }
  for (const child of children) hide(child, rest);
}
