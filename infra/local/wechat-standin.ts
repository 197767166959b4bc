/**
 * A stand-in for WeChat's servers with the same HTTP shapes (DOMAIN_NOTES §7): code2Session, access_token
 * and subscribe-message send. Codes starting with `bad` behave as invalid (errcode 40029). Sent messages go
 * to an outbox (GET /wechat/_outbox) so a person or a test can see what citizens would receive.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';

const SendBody = z.object({
  touser: z.string().min(1),
  template_id: z.string().min(1),
  page: z.string().optional(),
  data: z.record(z.string(), z.object({ value: z.string() })),
  miniprogram_state: z.string().optional(),
  lang: z.string().optional(),
});

export function createWeChatStandIn(opts: { appid: string; secret: string }) {
  const outbox: Array<z.infer<typeof SendBody> & { msgid: string; at: string }> = [];
  const tokens = new Set<string>();
  const routes = new Hono();

  routes.get('/sns/jscode2session', (c) => {
    const q = c.req.query();
    if (q.appid !== opts.appid || q.secret !== opts.secret) return c.json({ errcode: 40013, errmsg: 'invalid appid' });
    if (q.grant_type !== 'authorization_code' || !q.js_code) return c.json({ errcode: 40002, errmsg: 'invalid grant_type' });
    if (q.js_code.startsWith('bad')) return c.json({ errcode: 40029, errmsg: 'invalid code' });
    const openid = `o${createHash('sha256').update(q.js_code.replace(/-\d+$/, '')).digest('base64url').slice(0, 27)}`;
    return c.json({ openid, session_key: randomBytes(16).toString('base64') });
  });

  routes.get('/cgi-bin/token', (c) => {
    const q = c.req.query();
    if (q.grant_type !== 'client_credential' || q.appid !== opts.appid || q.secret !== opts.secret) return c.json({ errcode: 40013, errmsg: 'invalid appid' });
    const token = randomBytes(24).toString('hex');
    tokens.add(token);
    return c.json({ access_token: token, expires_in: 7200 });
  });

  routes.post('/cgi-bin/message/subscribe/send', async (c) => {
    if (!tokens.has(c.req.query('access_token') ?? '')) return c.json({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid' });
    const body = SendBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ errcode: 47003, errmsg: 'argument invalid!' });
    const msgid = String(Date.now()) + String(outbox.length);
    outbox.push({ ...body.data, msgid, at: new Date().toISOString() });
    return c.json({ errcode: 0, errmsg: 'ok', msgid });
  });

  routes.get('/_outbox', (c) => c.json({ items: outbox }));

  return { routes, outbox };
}
