// An audit decision as a badge: allowed, denied, or information.
import type { AuditEventView } from '@core/api/contract.js';
import { Badge, type BadgeTone } from '../../components/badge.js';

const DECISION_TONE: Record<AuditEventView['decision'], BadgeTone> = {
  allow: 'ok',
  deny: 'error',
  info: 'neutral',
};

const DECISION_TEXT: Record<AuditEventView['decision'], string> = {
  allow: 'Allowed',
  deny: 'Denied',
  info: 'Info',
};

export function DecisionBadge({ decision }: { decision: AuditEventView['decision'] }) {
  return <Badge tone={DECISION_TONE[decision]}>{DECISION_TEXT[decision]}</Badge>;
}
