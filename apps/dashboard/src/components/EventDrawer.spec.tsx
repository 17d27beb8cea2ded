import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import { eventJson, stubFetch } from '../testing/fixtures';
import { renderPage } from '../testing/render';
import { EventDrawer } from './EventDrawer';

afterEach(() => vi.unstubAllGlobals());

const detail = (uuid: string) =>
  `{"event":${eventJson({ uuid, ns: 'shop', hostname: 'worker-1' })},` +
  `"deliveries":[{"output":"slack-prod","state":"delivered","attempts":1,"reason":"ok","updatedAt":"2026-11-22T10:00:01Z"},` +
  `{"output":"es-main","state":"dead_lettered","attempts":5,"reason":"server_error","detail":"HTTP 503","updatedAt":"2026-11-22T10:00:09Z"}],` +
  `"remediations":[{"uuid":"${uuid}","rule":"Write below binary dir","action":"delete-pod","outcome":"dry_run","target":{"namespace":"shop","pod":"web-1"},"at":"2026-11-22T10:00:02Z"}]}`;

describe('EventDrawer', () => {
  it('shows the output, every field with exact digits, deliveries per output and the remediation', async () => {
    stubFetch({ '/api/v1/events/d1': { text: detail('d1') } });
    const onClose = vi.fn();
    renderPage(<EventDrawer uuid="d1" onClose={onClose} />);
    const drawer = await screen.findByTestId('event-drawer');
    expect(await within(drawer).findByTestId('deliveries')).toBeTruthy();
    expect(drawer.querySelector('[data-field="evt.time"] td')?.textContent).toBe('1507591916746609046');
    expect(drawer.querySelector('[data-field="k8s.ns.name"] td')?.textContent).toBe('shop');
    expect(within(drawer).getByTestId('output-line').textContent).toMatch(
      /^16:31:56\.746609046: Error event/,
    );
    const rows = within(within(drawer).getByTestId('deliveries')).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining('Output'),
      expect.stringContaining('slack-prod'),
      expect.stringMatching(/es-main.*dead lettered.*5.*server_error — HTTP 503/),
    ]);
    expect(within(drawer).getByTestId('remediations').textContent).toMatch(
      /dry run.*delete-pod.*shop\/web-1/,
    );
  });

  it('shows the event it was opened with when the detail cannot be loaded, and closes on Escape', async () => {
    stubFetch({});
    const onClose = vi.fn();
    const { parseEvent } = await import('../api/events');
    renderPage(<EventDrawer uuid="x1" initial={parseEvent(eventJson({ uuid: 'x1' }))} onClose={onClose} />);
    const drawer = screen.getByTestId('event-drawer');
    expect(drawer.querySelector('[data-field="evt.time"] td')?.textContent).toBe('1507591916746609046');
    expect(await within(drawer).findByText('Delivery status is not available for this event.')).toBeTruthy();
    drawer.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(onClose).toHaveBeenCalledOnce();
  });
});
