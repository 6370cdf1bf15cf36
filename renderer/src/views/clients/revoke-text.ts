// What a revoke or forget did, in one sentence for the toast.
import type { RevokeResult } from '../../stores/clients-store.js';
import { count } from '@core/text.js';

export function revokedText(verb: 'Revoked' | 'Forgot', name: string, result: RevokeResult): string {
  return `${verb} ${name}: ${count(result.tokensRevoked, 'token')} revoked, ${count(result.sessionsClosed, 'session')} closed`;
}
