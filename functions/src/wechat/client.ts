/**
 * WeChat server APIs the platform calls (DOMAIN_NOTES §7): code2Session for mini-program login and the
 * subscribe-message send. The base URL is configuration: api.weixin.qq.com in production, the local stand-in
 * (infra/local/wechat-standin.ts, same HTTP shapes) on `npm start` and in tests.
 */
import { z } from 'zod';
import { DomainError } from '../shared/errors';

export interface WeChatPort {
  code2Session(code: string): Promise<{ openid: string; unionid?: string }>;
  sendSubscribeMessage(msg: SubscribeMessage): Promise<{ msgid: string }>;
}

export const SubscribeMessage = z.object({
  touser: z.string().min(1),
  template_id: z.string().min(1),
  page: z.string().optional(),
  data: z.record(z.string(), z.object({ value: z.string().max(20) })),
  miniprogram_state: z.enum(['developer', 'trial', 'formal']).default('formal'),
  lang: z.enum(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']).default('zh_CN'),
});
export type SubscribeMessage = z.input<typeof SubscribeMessage>;

const Code2SessionResponse = z.object({
  openid: z.string().optional(),
  session_key: z.string().optional(),
  unionid: z.string().optional(),
  errcode: z.number().optional(),
  errmsg: z.string().optional(),
});
const TokenResponse = z.object({ access_token: z.string().optional(), expires_in: z.number().optional(), errcode: z.number().optional() });
const SendResponse = z.object({ errcode: z.number(), errmsg: z.string().optional(), msgid: z.union([z.string(), z.number()]).optional() });

export function weChatClient(opts: { baseUrl: string; appid: string; secret: string; fetch?: typeof fetch; now?: () => number }): WeChatPort {
  const f = opts.fetch ?? fetch;
  const now = opts.now ?? Date.now;
  let cached: { token: string; until: number } | undefined;

  async function getJson(url: string, init?: RequestInit): Promise<unknown> {
    let res: Response;
    try {
      res = await f(url, { ...init, signal: AbortSignal.timeout(5000) });
    } catch {
      throw new DomainError('WECHAT_UNAVAILABLE', undefined, 'network');
    }
    if (!res.ok) throw new DomainError('WECHAT_UNAVAILABLE', undefined, `http ${res.status}`);
    return await res.json();
  }

  async function accessToken(): Promise<string> {
    if (cached && cached.until > now()) return cached.token;
    const q = new URLSearchParams({ grant_type: 'client_credential', appid: opts.appid, secret: opts.secret });
    const r = TokenResponse.parse(await getJson(`${opts.baseUrl}/cgi-bin/token?${q}`));
    if (!r.access_token) throw new DomainError('WECHAT_UNAVAILABLE', undefined, `token errcode ${r.errcode}`);
    // Refresh five minutes early; WeChat tokens live about 7200 s.
    cached = { token: r.access_token, until: now() + ((r.expires_in ?? 7200) - 300) * 1000 };
    return cached.token;
  }

  return {
    async code2Session(code) {
      const q = new URLSearchParams({ appid: opts.appid, secret: opts.secret, js_code: code, grant_type: 'authorization_code' });
      const r = Code2SessionResponse.parse(await getJson(`${opts.baseUrl}/sns/jscode2session?${q}`));
      if (r.errcode === 40029 || r.errcode === 40163) throw new DomainError('WECHAT_CODE_INVALID');
      if (r.errcode || !r.openid) throw new DomainError('WECHAT_UNAVAILABLE', undefined, `code2Session errcode ${r.errcode}`);
      // session_key stays here: it is never sent to the client or stored.
      return { openid: r.openid, ...(r.unionid ? { unionid: r.unionid } : {}) };
    },
    async sendSubscribeMessage(msg) {
      const body = SubscribeMessage.parse(msg);
      const token = await accessToken();
      const r = SendResponse.parse(
        await getJson(`${opts.baseUrl}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
      if (r.errcode !== 0) throw new DomainError('WECHAT_UNAVAILABLE', undefined, `subscribe send errcode ${r.errcode}`);
      return { msgid: String(r.msgid ?? '') };
    },
  };
}
