import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { parseEvent } from '../api/events';
import { eventJson, outputInfo, stubFetch } from '../testing/fixtures';
import { renderPage } from '../testing/render';
import { EventDrawer } from './EventDrawer';
import { SilencesPage } from '../pages/SilencesPage';
import { draftProblems, EMPTY_DRAFT, presetsFor, toRequest } from './silence-draft';

afterEach(() => vi.unstubAllGlobals());

const OPERATOR = { text: '{"username":"alice","role":"operator"}' };
const VIEWER = { text: '{"username":"victor","role":"viewer"}' };
const OUTPUTS = { text: JSON.stringify({ outputs: [outputInfo('slack'), outputInfo('webhook')] }) };
const shellJson = eventJson({
  uuid: 'e1',
  rule: 'Terminal shell in container',
  hostname: 'worker-1',
  ns: 'shop',
});
const detail = (json: string) => ({ text: `{"event":${json},"deliveries":[],"remediations":[]}` });

describe('silence drafts', () => {
  const event = parseEvent(shellJson);

  it('offers this rule on this host and in this namespace, for 1 h', () => {
    expect(presetsFor(event).map((p) => [p.key, p.label, p.draft])).toEqual([
      [
        'host',
        'This rule on worker-1',
        { ...EMPTY_DRAFT, rule: 'Terminal shell in container', hostname: 'worker-1' },
      ],
      [
        'namespace',
        'This rule in namespace shop',
        { ...EMPTY_DRAFT, rule: 'Terminal shell in container', namespace: 'shop' },
      ],
    ]);
    expect(presetsFor(parseEvent(eventJson({ rule: 'R' })))).toEqual([]);
  });

  it('turns each given text into one filter condition', () => {
    expect(
      toRequest({
        ...EMPTY_DRAFT,
        rule: ' R ',
        namespace: 'shop',
        outputs: ['slack'],
        duration: '2h',
        comment: 'why',
      }),
    ).toEqual({
      filter: { rules: { include: ['R'] }, fields: { 'k8s.ns.name': { in: ['shop'] } } },
      outputs: ['slack'],
      duration: '2h',
      comment: 'why',
    });
    expect(toRequest({ ...EMPTY_DRAFT, hostname: 'h' })).toEqual({
      filter: { hostnames: ['h'] },
      duration: '1h',
    });
  });

  it('needs a condition and a duration with a unit', () => {
    expect(draftProblems(EMPTY_DRAFT)).toEqual(['Give at least a rule, a host or a namespace.']);
    expect(draftProblems({ ...EMPTY_DRAFT, rule: 'R', duration: '90' })).toEqual([
      'Duration: a number and a unit, such as 30m, 1h or 2d.',
    ]);
    expect(draftProblems({ ...EMPTY_DRAFT, rule: 'R', duration: '1h30m' })).toEqual([]);
  });
});

describe('Silence… in the event detail', () => {
  it('creates the preset silence (editable) for an operator', async () => {
    const calls = stubFetch({
      '/api/v1/whoami': OPERATOR,
      '/api/v1/events/e1': detail(shellJson),
      '/api/v1/outputs/status': OUTPUTS,
      '/api/v1/silences': { status: 201, text: '{"id":"5f0c1d2e-aaaa-bbbb-cccc-000000000001"}' },
    });
    renderPage(<EventDrawer uuid="e1" onClose={() => undefined} />);
    const drawer = await screen.findByTestId('event-drawer');
    fireEvent.click(await within(drawer).findByRole('button', { name: 'Silence…' }));
    const form = within(drawer).getByTestId('silence-form');
    expect(
      within(form).getByRole('button', { name: 'This rule on worker-1' }).getAttribute('aria-pressed'),
    ).toBe('true');
    fireEvent.click(within(form).getByRole('button', { name: 'This rule in namespace shop' }));
    fireEvent.change(within(form).getByLabelText('Duration'), { target: { value: '30m' } });
    fireEvent.click(await within(form).findByLabelText('slack'));
    fireEvent.change(within(form).getByLabelText('Comment'), { target: { value: 'deploy' } });
    fireEvent.submit(form);
    expect((await within(form).findByTestId('silence-created')).textContent).toContain(
      '5f0c1d2e-aaaa-bbbb-cccc-000000000001',
    );
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.headers.get('content-type')).toBe('application/json');
    expect(JSON.parse(post?.body ?? '')).toEqual({
      filter: {
        rules: { include: ['Terminal shell in container'] },
        fields: { 'k8s.ns.name': { in: ['shop'] } },
      },
      outputs: ['slack'],
      duration: '30m',
      comment: 'deploy',
    });
  });

  it('shows the router’s reason when it refuses', async () => {
    stubFetch({
      '/api/v1/whoami': OPERATOR,
      '/api/v1/events/e1': detail(shellJson),
      '/api/v1/silences': {
        status: 400,
        text: '{"error":"invalid_silence","message":"duration: must be at most 366d","field":"duration"}',
      },
    });
    renderPage(<EventDrawer uuid="e1" onClose={() => undefined} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Silence…' }));
    fireEvent.change(screen.getByLabelText('Duration'), { target: { value: '400d' } });
    fireEvent.submit(screen.getByTestId('silence-form'));
    expect((await screen.findByRole('alert')).textContent).toBe('duration: must be at most 366d');
  });

  it('has no Silence… button for a viewer, and marks a silenced event', async () => {
    const silenced = shellJson.replace(/}$/, ',"silenced":["5f0c1d2e-aaaa-bbbb-cccc-000000000001"]}');
    const calls = stubFetch({ '/api/v1/whoami': VIEWER, '/api/v1/events/e1': detail(silenced) });
    const { client } = renderPage(<EventDrawer uuid="e1" onClose={() => undefined} />);
    // the role is known before the button's absence is checked
    await waitFor(() =>
      expect(client.getQueryData(['whoami'])).toEqual({ username: 'victor', role: 'viewer' }),
    );
    expect(calls.some((c) => c.url === '/api/v1/whoami')).toBe(true);
    expect((await screen.findByTestId('silenced-badge')).textContent).toBe('silenced 5f0c1d2e');
    await waitFor(() =>
      expect(screen.getByRole('heading', { name: 'Terminal shell in container' })).toBeTruthy(),
    );
    expect(screen.queryByRole('button', { name: 'Silence…' })).toBeNull();
  });
});

describe('SilencesPage', () => {
  const list = {
    text: JSON.stringify({
      silences: [
        {
          id: 'a1111111-0000-0000-0000-000000000000',
          filter: {},
          matcher: 'rule is [R]',
          outputs: [],
          startsAt: '2026-11-30T10:00:00Z',
          endsAt: '2026-11-30T11:00:00Z',
          createdBy: 'alice',
          comment: 'deploy',
          state: 'active',
        },
        {
          id: 'b2222222-0000-0000-0000-000000000000',
          filter: {},
          matcher: 'hostname is [h]',
          outputs: ['slack'],
          startsAt: '2026-11-30T09:00:00Z',
          endsAt: '2026-11-30T09:30:00Z',
          createdBy: 'alice',
          expiredBy: 'bob',
          comment: '',
          state: 'expired',
        },
      ],
    }),
  };

  it('lists active and expired silences; an operator expires one', async () => {
    const calls = stubFetch({
      '/api/v1/whoami': OPERATOR,
      '/api/v1/silences': list,
      '/api/v1/silences/a1111111-0000-0000-0000-000000000000': { text: '{}' },
    });
    renderPage(<SilencesPage />);
    const table = await screen.findByTestId('silences');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-state'))).toEqual(['active', 'expired']);
    expect(rows[1]?.textContent).toMatch(/hostname is \[h\].*slack.*alice \(expired by bob\)/);
    fireEvent.click(await within(rows[0] as HTMLElement).findByRole('button', { name: 'Expire' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE')).toBe(true));
    const del = calls.find((c) => c.method === 'DELETE');
    expect(del?.url).toBe('/api/v1/silences/a1111111-0000-0000-0000-000000000000');
    expect(del?.body).toBe('{}');
    expect(within(rows[1] as HTMLElement).queryByRole('button', { name: 'Expire' })).toBeNull();
  });

  it('shows no New silence or Expire button to a viewer', async () => {
    stubFetch({ '/api/v1/whoami': VIEWER, '/api/v1/silences': list });
    const { client } = renderPage(<SilencesPage />);
    await screen.findByTestId('silences');
    await waitFor(() =>
      expect(client.getQueryData(['whoami'])).toEqual({ username: 'victor', role: 'viewer' }),
    );
    expect(screen.queryByRole('button', { name: 'Expire' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'New silence' })).toBeNull();
  });
});
