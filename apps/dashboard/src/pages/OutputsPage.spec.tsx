import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { eventJson, outputInfo, stubFetch } from '../testing/fixtures';
import { renderPage } from '../testing/render';
import { OutputsPage } from './OutputsPage';

afterEach(() => vi.unstubAllGlobals());

const outputs = JSON.stringify({
  outputs: [
    {
      name: 'webhook-soc',
      type: 'webhook',
      enabled: true,
      filter: 'priority ≥ Warning and namespace is shop',
      health: 'failing',
      circuit: 'open',
      queueDepth: 42,
      oldestQueuedAgeMs: 12_500,
      counters: {
        matched: 100,
        sent: 50,
        retried: 30,
        deadLettered: 7,
        failed: { network: 12, server_error: 3 },
        silenced: 4,
      },
      lastError: {
        reason: 'network',
        detail: 'connect ECONNREFUSED 127.0.0.1:9',
        at: '2026-11-22T10:00:00Z',
      },
    },
    outputInfo('slack', {
      type: 'slack',
      counters: { matched: 5, sent: 5, retried: 0, deadLettered: 0, failed: {} },
    }),
  ],
});

describe('OutputsPage', () => {
  it('shows health, circuit, queue, failures by reason and the filter in words', async () => {
    stubFetch({
      '/api/v1/outputs/status': { text: outputs },
      '/api/v1/deadletters': { text: '{"statistics":{"all":0},"results":[]}' },
    });
    renderPage(<OutputsPage />);
    const card = await screen.findByTestId('output-webhook-soc');
    expect(card.getAttribute('data-health')).toBe('failing');
    expect(within(card).getByText('circuit open')).toBeTruthy();
    expect(within(card).getByText('priority ≥ Warning and namespace is shop')).toBeTruthy();
    expect(within(card).getByTestId('queue-depth').textContent).toContain('42');
    expect(within(card).getByTestId('silenced-count').textContent).toBe('4');
    expect(within(card).getByLabelText('Failures by reason').textContent).toMatch(
      /network12.*server error \(5xx\)3/,
    );
    expect(within(card).getByTestId('last-error').textContent).toContain('ECONNREFUSED');
    expect(screen.getByTestId('output-slack').getAttribute('data-health')).toBe('ok');
  });

  it('replays selected dead letters', async () => {
    const dl = `{"statistics":{"all":1},"results":[{"id":"dl-1","output":"webhook-soc","event":${eventJson()},"reason":"network","detail":"refused","attempts":5,"at":"2026-11-22T10:00:00Z"}]}`;
    const calls = stubFetch({
      '/api/v1/outputs/status': { text: outputs },
      '/api/v1/deadletters': { text: dl },
      '/api/v1/deadletters/replay': { text: '{"replayed":1}' },
    });
    renderPage(<OutputsPage />);
    fireEvent.click(await screen.findByLabelText('Select dead letter dl-1'));
    fireEvent.click(screen.getByText('Replay selected (1)'));
    expect(await screen.findByText('Replayed 1 events.')).toBeTruthy();
    const replay = calls.find((c) => c.url === '/api/v1/deadletters/replay');
    expect(replay?.method).toBe('POST');
    expect(JSON.parse(replay?.body ?? '{}')).toEqual({ ids: ['dl-1'] });
  });
});
