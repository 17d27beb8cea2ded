import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, Receiver } from '@falconer/testing';
import { launchRouter, type RouterProcess } from '../support/router-process';

/**
 * The built router configured for the nine chat outputs with falcosidekick's environment variables only:
 * one Falco event posted to `/` reaches each destination once, in that destination's format.
 */
describe('chat outputs on the built router, from falcosidekick env names', () => {
  let rx: Receiver;
  let router: RouterProcess;
  beforeAll(async () => {
    rx = await Receiver.start(() => ({ status: 200, body: '{"ok":true}' }));
    const u = rx.url;
    router = await launchRouter({
      ui: false,
      env: {
        TEAMS_WEBHOOKURL: `${u}/teams`,
        DISCORD_WEBHOOKURL: `${u}/discord`,
        MATTERMOST_WEBHOOKURL: `${u}/mattermost`,
        ROCKETCHAT_WEBHOOKURL: `${u}/rocketchat`,
        GOOGLECHAT_WEBHOOKURL: `${u}/googlechat?key=k&token=t`,
        TELEGRAM_HOST: `${u}/telegram`,
        TELEGRAM_TOKEN: '1:token',
        TELEGRAM_CHATID: '-1',
        WEBEX_WEBHOOKURL: `${u}/webex`,
        CLIQ_WEBHOOKURL: `${u}/cliq?zapikey=z`,
        GOTIFY_HOSTPORT: `${u}/gotify`,
        GOTIFY_TOKEN: 'gotify-token',
      },
    });
  });
  afterAll(async () => {
    await router?.kill('SIGTERM');
    await rx?.close();
  });

  it('delivers one message to each, shaped as falcosidekick sends it', async () => {
    expect(await router.post(fixture('write-below-binary-dir'))).toBe(200);
    await rx.waitFor(9, 30_000);
    const byPath = new Map(rx.requests.map((r) => [r.url.split(/[/?]/)[1] as string, r]));
    expect([...byPath.keys()].sort()).toEqual([
      'cliq',
      'discord',
      'googlechat',
      'gotify',
      'mattermost',
      'rocketchat',
      'teams',
      'telegram',
      'webex',
    ]);
    const body = (name: string): Record<string, unknown> =>
      JSON.parse(byPath.get(name)?.text ?? 'null') as Record<string, unknown>;
    expect(body('teams')['@type']).toBe('MessageCard');
    expect(body('discord')['embeds']).toHaveLength(1);
    expect(body('mattermost')['attachments']).toHaveLength(1);
    expect(body('rocketchat')['attachments']).toHaveLength(1);
    expect(body('googlechat')['cards']).toHaveLength(1);
    expect(body('telegram')).toMatchObject({ parse_mode: 'MarkdownV2', chat_id: '-1' });
    expect(byPath.get('telegram')?.url).toBe('/telegram/bot1:token/sendMessage');
    expect(body('webex')['markdown']).toContain("# Falco Rule 'Write below binary dir'");
    expect(body('cliq')['bot']).toMatchObject({ name: 'Falcosidekick' });
    expect(byPath.get('cliq')?.headers['content-type']).toBe('application/json');
    expect(body('gotify')).toMatchObject({ title: '[Falco] [Error] Write below binary dir', priority: 5 });
    expect(byPath.get('gotify')?.headers['x-gotify-key']).toBe('gotify-token');
    // every one of them sent the event once
    expect(rx.requests).toHaveLength(9);
  });
});
