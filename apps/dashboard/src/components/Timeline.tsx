import type { DeliveryAttempt, EventDetail } from '@falconer/contracts';
import { formatTime } from '../api/events';
import { TRIAGE_LABEL } from '../api/triage';

export interface TimelineStep {
  /** RFC 3339; undefined when the time is not known (events recorded before Falconer kept it). */
  at: string | undefined;
  kind: 'received' | 'routed' | 'silenced' | 'attempt' | 'remediation' | 'triage';
  text: string;
  /** For CSS: the outcome's colour. */
  tone: 'neutral' | 'ok' | 'warn' | 'bad';
}

function attemptStep(a: DeliveryAttempt): TimelineStep {
  const why = [a.reason !== undefined && a.reason !== 'ok' ? a.reason : '', a.detail ?? '']
    .filter((s) => s !== '')
    .join(' — ');
  switch (a.state) {
    case 'silenced':
      return {
        at: a.at,
        kind: 'silenced',
        text: `${a.output}: silenced by ${a.detail ?? 'a silence'}`,
        tone: 'warn',
      };
    case 'delivered':
      return { at: a.at, kind: 'attempt', text: `${a.output}: attempt ${a.attempt} delivered`, tone: 'ok' };
    case 'retrying':
      return {
        at: a.at,
        kind: 'attempt',
        text: `${a.output}: attempt ${a.attempt} failed, will retry${why === '' ? '' : ` (${why})`}`,
        tone: 'warn',
      };
    case 'dead_lettered':
      return {
        at: a.at,
        kind: 'attempt',
        text: `${a.output}: attempt ${a.attempt} failed, dead-lettered${why === '' ? '' : ` (${why})`}`,
        tone: 'bad',
      };
    case 'queued':
      return { at: a.at, kind: 'attempt', text: `${a.output}: queued`, tone: 'neutral' };
  }
}

/**
 * The event's story in time order: received → routed (matched, filtered, silenced outputs) → each
 * delivery attempt → remediation decisions → triage changes. Silences appear both as deliveries in the
 * `silenced` state and as the event's `silenced` ids (whichever the router recorded).
 */
export function timelineSteps(detail: EventDetail): TimelineStep[] {
  const steps: TimelineStep[] = [];
  const r = detail.routing;
  const silencedOutputs = detail.attempts.filter((a) => a.state === 'silenced').map((a) => a.output);
  const silenceIds = (detail.event as { silenced?: readonly string[] }).silenced ?? [];
  if (r !== undefined) {
    steps.push({ at: r.receivedAt, kind: 'received', text: 'Received by the router', tone: 'neutral' });
    const parts: string[] = [];
    if (r.historyOnly === true) parts.push('recorded for history only (routed by the sender)');
    else {
      const matched = r.matched.filter((o) => !silencedOutputs.includes(o));
      parts.push(matched.length === 0 ? 'no output matched' : `matched ${matched.join(', ')}`);
      if (silencedOutputs.length > 0) parts.push(`silenced ${silencedOutputs.join(', ')}`);
      if (r.filtered.length > 0) parts.push(`filtered out ${r.filtered.join(', ')}`);
    }
    steps.push({ at: r.receivedAt, kind: 'routed', text: `Routed: ${parts.join('; ')}`, tone: 'neutral' });
  } else {
    steps.push({
      at: detail.event.time,
      kind: 'received',
      text: 'Raised by Falco (routing not recorded)',
      tone: 'neutral',
    });
  }
  if (silenceIds.length > 0 && silencedOutputs.length === 0)
    steps.push({
      at: r?.receivedAt,
      kind: 'silenced',
      text: `Silenced by ${silenceIds.join(', ')}`,
      tone: 'warn',
    });
  const later: TimelineStep[] = [
    ...detail.attempts.map(attemptStep),
    ...detail.remediations.map((m): TimelineStep => ({
      at: m.at,
      kind: 'remediation',
      text: `Remediation ${m.action}: ${m.outcome.replace('_', ' ')}${m.reason !== undefined ? ` — ${m.reason}` : ''}`,
      tone: m.outcome === 'failed' ? 'bad' : m.outcome === 'acted' ? 'ok' : 'neutral',
    })),
    ...detail.triageHistory.map((t): TimelineStep => ({
      at: t.at,
      kind: 'triage',
      text: `${TRIAGE_LABEL[t.state]}${t.by !== undefined ? ` by ${t.by}` : ''}`,
      tone: 'neutral',
    })),
  ];
  // stable: steps with the same time keep their order (an output's attempts, then remediation, then triage)
  later.sort((a, b) => (Date.parse(a.at ?? '') || 0) - (Date.parse(b.at ?? '') || 0));
  return [...steps, ...later];
}

/** The detail drawer's timeline. */
export function Timeline({ detail }: { detail: EventDetail }) {
  const steps = timelineSteps(detail);
  return (
    <ol className="timeline" data-testid="timeline">
      {steps.map((s, i) => (
        <li key={i} className={`step step-${s.kind} tone-${s.tone}`} data-kind={s.kind}>
          <time className="mono muted" dateTime={s.at}>
            {s.at === undefined ? '—' : formatTime(s.at)}
          </time>
          <span>{s.text}</span>
        </li>
      ))}
    </ol>
  );
}
