/**
 * The real WeChat adapter against the local stand-in, which answers with WeChat's HTTP shapes: the request
 * shapes (query names, grant types, body fields) are what the stand-in checks.
 */
import { describe, expect, it } from 'vitest';
import { createWeChatStandIn } from '../../../infra/local/wechat-standin';
import { DomainError } from '../shared/errors';
import { weChatClient } from './client';

const creds = { appid: 'wx1234567890abcdef', secret: 's3cret' };

function setup(overrides: Partial<typeof creds> = {}) {
  const standIn = createWeChatStandIn(creds);
  const calls: string[] = [];
  const fetchToStandIn: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    calls.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    return await standIn.routes.request(url.pathname + url.search, init as RequestInit);
  };
  const client = weChatClient({ baseUrl: 'https://api.weixin.qq.com', ...creds, ...overrides, fetch: fetchToStandIn });
  return { standIn, client, calls };
}

describe('PUB-2 WeChat adapter', () => {
  it('code2Session returns a stable openid and never the session_key', async () => {
    const { client } = setup();
    const a = await client.code2Session('code-abc');
    const b = await client.code2Session('code-abc');
    expect(a.openid).toMatch(/^o/);
    expect(a).toEqual(b);
    expect(Object.keys(a)).not.toContain('session_key');
  });

  it('an invalid code is WECHAT_CODE_INVALID; wrong app credentials are WECHAT_UNAVAILABLE', async () => {
    await expect(setup().client.code2Session('bad-code')).rejects.toMatchObject({ code: 'WECHAT_CODE_INVALID' });
    await expect(setup({ secret: 'wrong' }).client.code2Session('code-1')).rejects.toBeInstanceOf(DomainError);
  });

  it('sends a subscribe message with a cached access token', async () => {
    const { client, standIn, calls } = setup();
    const msg = { touser: 'o-user', template_id: 'tpl-case-done', page: 'pages/case?id=1', data: { thing1: { value: '井盖缺失已处理' }, time2: { value: '2026-11-24 10:00' } } };
    await client.sendSubscribeMessage(msg);
    await client.sendSubscribeMessage(msg);
    expect(calls.filter((c) => c.endsWith('/cgi-bin/token'))).toHaveLength(1);
    expect(standIn.outbox).toHaveLength(2);
    expect(standIn.outbox[0]).toMatchObject({ touser: 'o-user', template_id: 'tpl-case-done', lang: 'zh_CN', miniprogram_state: 'formal' });
  });

  it('refuses a thing value longer than WeChat allows before calling it', async () => {
    const { client, calls } = setup();
    await expect(client.sendSubscribeMessage({ touser: 'o', template_id: 't', data: { thing1: { value: '这是一段超过二十个字符长度限制的非常长的文字内容啊' } } })).rejects.toThrow();
    expect(calls).toHaveLength(0);
  });
});
