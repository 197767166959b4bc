/**
 * Deployment configuration, read once from CDK context (`-c key=value` or cdk.json). Everything that differs
 * between the global partition and China (aws-cn), or between stages, is decided here and nowhere else.
 */
import type { Node } from 'constructs';
import { DEFAULT_CLAIMS } from '../../../contracts/src/claims';

export type Partition = 'aws' | 'aws-cn';

export interface ClaimNames {
  readonly tenant: string;
  readonly roles: string;
  readonly department: string;
}

export interface CityOpsConfig {
  readonly partition: Partition;
  readonly region: string;
  /** Undefined means account-agnostic stacks (fine for synth; `cdk deploy` fills it from the credentials). */
  readonly account?: string;
  /** Short stage name used in stack and resource names: dev, test, prod... */
  readonly stage: string;
  readonly oidc: {
    /** External OIDC issuer (the province's unified identity service, or any IdP). Undefined: Cognito (global only). */
    readonly issuer?: string;
    readonly audience?: string;
    readonly jwksUri?: string;
    readonly clientId?: string;
    readonly authorizeUrl?: string;
    readonly tokenUrl?: string;
    /** Claim names; undefined means the default for the chosen issuer (custom:* for Cognito, DEFAULT_CLAIMS otherwise). */
    readonly claims: Partial<ClaimNames>;
  };
  /** Cognito hosted-UI domain prefix (global partition, Cognito only). */
  readonly cognitoDomainPrefix?: string;
  /** OAuth callback / logout URLs for the Cognito web client. */
  readonly callbackUrls: string[];
  /** `iss` of the tokens the platform itself issues to citizens after WeChat login. */
  readonly citizenIssuer: string;
  readonly web: {
    /** Alternate domain names (CNAMEs). Required in aws-cn (ICP-filed), optional in aws. */
    readonly domainNames: string[];
    /** ACM certificate in us-east-1 for the domain names (global partition). */
    readonly certificateArn?: string;
    /** IAM server certificate id (aws-cn: CloudFront China has no ACM). */
    readonly iamCertificateId?: string;
    /** WAFv2 web ACL (CLOUDFRONT scope, us-east-1) to attach, global partition. */
    readonly webAclArn?: string;
  };
  /** Custom domain for the HTTP API (in aws-cn the default execute-api endpoint is not publicly usable without ICP). */
  readonly api: { readonly domainName?: string; readonly certificateArn?: string };
  /** Browser origins allowed by the HTTP API's CORS preflight (empty: no CORS configuration). */
  readonly corsOrigins: string[];
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly alarmEmail?: string;
  readonly logLevel: string;
  readonly logRetentionDays: number;
  readonly tableName?: string;
}

const CN_REGIONS = ['cn-north-1', 'cn-northwest-1'];
export const DEFAULT_REGION: Record<Partition, string> = { aws: 'ap-southeast-1', 'aws-cn': 'cn-north-1' };

/** Context lookup that treats '' like unset (so `-c oidcIssuer=` clears a cdk.json value). */
function reader(node: Pick<Node, 'tryGetContext'>) {
  const str = (key: string): string | undefined => {
    const v: unknown = node.tryGetContext(key);
    if (v === undefined || v === null) return undefined;
    const s = String(v).trim();
    return s === '' ? undefined : s;
  };
  const list = (key: string): string[] => {
    const v: unknown = node.tryGetContext(key);
    if (Array.isArray(v)) return v.map(String).filter(Boolean);
    return (str(key) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  };
  const num = (key: string, fallback: number): number => {
    const s = str(key);
    if (s === undefined) return fallback;
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`context ${key} must be a positive number, got "${s}"`);
    return n;
  };
  return { str, list, num };
}

export function readConfig(node: Pick<Node, 'tryGetContext'>, env: NodeJS.ProcessEnv = process.env): CityOpsConfig {
  const { str, list, num } = reader(node);
  const explicitRegion = str('region');
  const explicitPartition = str('partition');
  if (explicitPartition !== undefined && explicitPartition !== 'aws' && explicitPartition !== 'aws-cn') {
    throw new Error(`context partition must be "aws" or "aws-cn", got "${explicitPartition}"`);
  }
  const partition: Partition = (explicitPartition as Partition | undefined) ?? (explicitRegion?.startsWith('cn-') ? 'aws-cn' : 'aws');
  const region = explicitRegion ?? (partition === 'aws' ? env.CDK_DEFAULT_REGION : undefined) ?? DEFAULT_REGION[partition];
  if (partition === 'aws-cn' && !CN_REGIONS.includes(region)) {
    throw new Error(`partition aws-cn needs region ${CN_REGIONS.join(' or ')}, got "${region}"`);
  }
  if (partition === 'aws' && region.startsWith('cn-')) {
    throw new Error(`region ${region} is in the aws-cn partition; pass -c partition=aws-cn (or leave partition unset)`);
  }
  const stage = str('stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(stage)) throw new Error(`context stage must match ^[a-z][a-z0-9-]{0,15}$, got "${stage}"`);

  const issuer = str('oidcIssuer');
  if (partition === 'aws-cn' && !issuer) {
    throw new Error(
      'aws-cn needs an external OIDC issuer: Amazon Cognito user pools are not available in the China regions. ' +
        'Pass the province unified identity service, e.g. -c oidcIssuer=https://id.hunan.gov.cn/oidc -c oidcAudience=cityops ' +
        '(claim names with -c claimTenant=... -c claimRoles=... -c claimDepartment=...).',
    );
  }
  if (issuer && !/^https:\/\//.test(issuer)) throw new Error(`context oidcIssuer must be an https URL, got "${issuer}"`);
  if (issuer && !str('oidcAudience')) throw new Error('context oidcAudience is required with an external oidcIssuer');

  if (Boolean(str('apiDomainName')) !== Boolean(str('apiCertificateArn'))) {
    throw new Error('context apiDomainName and apiCertificateArn go together (an ACM certificate in the stack region)');
  }
  const account = str('account') ?? env.CDK_DEFAULT_ACCOUNT;
  return {
    partition,
    region,
    account: account && /^\d{12}$/.test(account) ? account : undefined,
    stage,
    oidc: {
      issuer,
      audience: str('oidcAudience'),
      jwksUri: str('oidcJwksUri'),
      clientId: str('oidcClientId'),
      authorizeUrl: str('oidcAuthorizeUrl'),
      tokenUrl: str('oidcTokenUrl'),
      claims: { tenant: str('claimTenant'), roles: str('claimRoles'), department: str('claimDepartment') },
    },
    cognitoDomainPrefix: str('cognitoDomainPrefix'),
    callbackUrls: list('callbackUrls'),
    citizenIssuer: str('citizenIssuer') ?? `cityops-citizen-${stage}`,
    web: {
      domainNames: list('webDomainNames'),
      certificateArn: str('webCertificateArn'),
      iamCertificateId: str('webIamCertificateId'),
      webAclArn: str('webAclArn'),
    },
    api: { domainName: str('apiDomainName'), certificateArn: str('apiCertificateArn') },
    corsOrigins: list('corsOrigins'),
    apiThrottle: { rateLimit: num('apiRateLimit', 200), burstLimit: num('apiBurstLimit', 400) },
    alarmEmail: str('alarmEmail'),
    logLevel: str('logLevel') ?? 'INFO',
    logRetentionDays: num('logRetentionDays', 180),
    tableName: str('tableName'),
  };
}

/** Claim names after defaults: Cognito puts custom attributes under `custom:`. */
export function resolveClaims(cfg: CityOpsConfig, cognito: boolean): ClaimNames {
  const base: ClaimNames = cognito
    ? { tenant: 'custom:tenant', roles: 'custom:roles', department: 'custom:department' }
    : { tenant: DEFAULT_CLAIMS.tenant, roles: DEFAULT_CLAIMS.roles, department: DEFAULT_CLAIMS.department };
  return {
    tenant: cfg.oidc.claims.tenant ?? base.tenant,
    roles: cfg.oidc.claims.roles ?? base.roles,
    department: cfg.oidc.claims.department ?? base.department,
  };
}
