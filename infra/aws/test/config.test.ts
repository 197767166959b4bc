import { describe, expect, it } from 'vitest';
import { DEFAULT_CLAIMS } from '../../../contracts/src/claims';
import { readConfig, resolveClaims } from '../lib/config';
import { build, CN_CONTEXT } from './support';

const ctx = (values: Record<string, unknown>) => ({ tryGetContext: (key: string): unknown => values[key] });

describe('configuration from context', () => {
  it('defaults to the global partition and a stage named dev', () => {
    const cfg = readConfig(ctx({}), {});
    expect(cfg.partition).toBe('aws');
    expect(cfg.stage).toBe('dev');
    expect(cfg.region).toBe('ap-southeast-1');
    expect(cfg.oidc.issuer).toBeUndefined();
  });

  it('derives aws-cn from a China region and defaults the region for -c partition=aws-cn', () => {
    expect(readConfig(ctx({ region: 'cn-northwest-1', ...CN_CONTEXT }), {}).partition).toBe('aws-cn');
    expect(readConfig(ctx({ partition: 'aws-cn', ...CN_CONTEXT }), {}).region).toBe('cn-north-1');
  });

  it('rejects a region outside the partition', () => {
    expect(() => readConfig(ctx({ partition: 'aws-cn', region: 'us-east-1', ...CN_CONTEXT }), {})).toThrow(/cn-north-1 or cn-northwest-1/);
    expect(() => readConfig(ctx({ partition: 'aws', region: 'cn-north-1' }), {})).toThrow(/aws-cn partition/);
  });

  it('requires an external OIDC issuer in aws-cn (no Cognito user pools there), with a clear message', () => {
    expect(() => readConfig(ctx({ partition: 'aws-cn' }), {})).toThrow(/Cognito user pools are not available in the China regions/);
    expect(() => build('aws-cn', { context: { oidcIssuer: '', oidcAudience: '' } })).toThrow(/oidcIssuer/);
    expect(() => readConfig(ctx({ partition: 'aws-cn', oidcIssuer: 'https://id.example.gov.cn' }), {})).toThrow(/oidcAudience/);
    expect(() => readConfig(ctx({ partition: 'aws-cn', oidcIssuer: 'http://insecure', oidcAudience: 'x' }), {})).toThrow(/https/);
  });

  it('maps claim names: custom:* for Cognito, the contract defaults for an external issuer, overrides win', () => {
    const global = readConfig(ctx({}), {});
    expect(resolveClaims(global, true)).toEqual({ tenant: 'custom:tenant', roles: 'custom:roles', department: 'custom:department' });
    const cn = readConfig(ctx({ partition: 'aws-cn', ...CN_CONTEXT, claimRoles: 'groups' }), {});
    expect(resolveClaims(cn, false)).toEqual({ tenant: DEFAULT_CLAIMS.tenant, roles: 'groups', department: DEFAULT_CLAIMS.department });
  });

  it('validates stage names and account ids', () => {
    expect(() => readConfig(ctx({ stage: 'Prod!' }), {})).toThrow(/stage/);
    expect(readConfig(ctx({ account: '123456789012' }), {}).account).toBe('123456789012');
    expect(readConfig(ctx({ account: 'unknown' }), {}).account).toBeUndefined();
  });
});
