import { afterEach, describe, expect, it, vi } from 'vitest';
import { authorizeUrl, codeChallenge, exchangeCode, OidcCallbackError } from './oidc';

const settings = { clientId: 'cityops-web', authorizeUrl: 'https://id.example.gov.cn/authorize', tokenUrl: 'https://id.example.gov.cn/token' };

describe('OIDC authorization code + PKCE', () => {
  afterEach(() => {
    sessionStorage.clear();
    vi.unstubAllGlobals();
  });

  it('computes the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('sends the client, redirect, state and challenge to the authorize endpoint', async () => {
    // Act
    const url = new URL(await authorizeUrl(settings));
    // Assess
    expect(url.origin + url.pathname).toBe(settings.authorizeUrl);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('client_id')).toBe('cityops-web');
    expect(url.searchParams.get('redirect_uri')).toBe(`${location.origin}/auth/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const pending = JSON.parse(sessionStorage.getItem('cityops.oidc') ?? '{}') as { verifier: string; state: string };
    expect(url.searchParams.get('state')).toBe(pending.state);
    expect(url.searchParams.get('code_challenge')).toBe(await codeChallenge(pending.verifier));
  });

  it('refuses a callback whose state does not match', async () => {
    await authorizeUrl(settings);
    await expect(exchangeCode(settings, new URLSearchParams('code=abc&state=forged'))).rejects.toEqual(new OidcCallbackError('state'));
  });

  it('exchanges the code with the verifier', async () => {
    // Prepare
    const url = new URL(await authorizeUrl(settings));
    const { verifier } = JSON.parse(sessionStorage.getItem('cityops.oidc') ?? '{}') as { verifier: string };
    const fetch = vi.fn(async () => new Response(JSON.stringify({ access_token: 'at', id_token: 'it', token_type: 'Bearer', expires_in: 600 })));
    vi.stubGlobal('fetch', fetch);
    // Act
    const tokens = await exchangeCode(settings, new URLSearchParams({ code: 'the-code', state: url.searchParams.get('state') ?? '' }));
    // Assess
    expect(tokens.access_token).toBe('at');
    const [target, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(target).toBe(settings.tokenUrl);
    const form = new URLSearchParams(String(init.body));
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code')).toBe('the-code');
    expect(form.get('code_verifier')).toBe(verifier);
    expect(sessionStorage.getItem('cityops.oidc')).toBeNull();
  });
});
