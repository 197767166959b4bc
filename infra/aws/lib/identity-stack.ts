/**
 * Staff identity is pluggable OIDC: any issuer whose tokens carry tenant / roles / department claims.
 * - External issuer (context oidcIssuer + oidcAudience): the province's unified identity service. REQUIRED in
 *   aws-cn, where Amazon Cognito user pools are not offered (readConfig fails synth without it).
 * - No external issuer (global partition only): a Cognito user pool with custom attributes tenant, roles,
 *   department, admin-managed (no self sign-up; the web client cannot write the custom attributes).
 * Also holds the secrets the API needs for citizen login (WeChat app credentials, citizen token signing key).
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type ClaimNames, type CityOpsConfig, resolveClaims } from './config';
import { acknowledge } from './nag';

export interface IdentityStackProps extends StackProps {
  readonly config: CityOpsConfig;
}

/** What the API needs to verify staff tokens, whichever issuer is used. */
export interface StaffIdentity {
  readonly kind: 'cognito' | 'external';
  readonly issuer: string;
  readonly audience: string;
  readonly claims: ClaimNames;
  readonly jwksUri?: string;
  readonly clientId?: string;
  readonly authorizeUrl?: string;
  readonly tokenUrl?: string;
}

export class IdentityStack extends Stack {
  readonly staff: StaffIdentity;
  readonly userPool?: UserPool;
  readonly webClient?: UserPoolClient;
  /** JSON {appid, secret} of the WeChat mini-program, set by an operator after deploy. */
  readonly weChatSecret: Secret;
  /** The citizen token signing key (a private JWK, ES256), set by an operator after deploy. */
  readonly citizenSigningSecret: Secret;

  constructor(scope: Construct, id: string, props: IdentityStackProps) {
    super(scope, id, props);
    const cfg = props.config;

    if (cfg.oidc.issuer) {
      this.staff = {
        kind: 'external',
        issuer: cfg.oidc.issuer,
        audience: cfg.oidc.audience ?? '',
        claims: resolveClaims(cfg, false),
        jwksUri: cfg.oidc.jwksUri,
        clientId: cfg.oidc.clientId,
        authorizeUrl: cfg.oidc.authorizeUrl,
        tokenUrl: cfg.oidc.tokenUrl,
      };
    } else {
      if (cfg.partition !== 'aws') throw new Error('Cognito user pools are only created in the global partition');
      const pool = new UserPool(this, 'StaffPool', {
        userPoolName: `cityops-${cfg.stage}-staff`,
        selfSignUpEnabled: false,
        signInAliases: { username: true, email: true },
        signInCaseSensitive: false,
        customAttributes: {
          // Division code of the user's tenant (GB/T 2260, 6 digits; 12 for street level).
          tenant: new StringAttribute({ minLen: 6, maxLen: 12, mutable: true }),
          // Space- or comma-separated role list (contracts/src/roles.ts).
          roles: new StringAttribute({ minLen: 1, maxLen: 512, mutable: true }),
          department: new StringAttribute({ minLen: 0, maxLen: 128, mutable: true }),
        },
        passwordPolicy: {
          minLength: 12,
          requireDigits: true,
          requireLowercase: true,
          requireUppercase: true,
          requireSymbols: true,
          tempPasswordValidity: Duration.days(3),
        },
        mfa: Mfa.REQUIRED,
        mfaSecondFactor: { otp: true, sms: false },
        accountRecovery: AccountRecovery.EMAIL_ONLY,
        featurePlan: FeaturePlan.PLUS,
        standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      const callbackUrls = cfg.callbackUrls.length ? cfg.callbackUrls : ['http://localhost:5173/'];
      const client = pool.addClient('Web', {
        generateSecret: false,
        authFlows: { userSrp: true },
        oAuth: {
          flows: { authorizationCodeGrant: true },
          scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
          callbackUrls,
          logoutUrls: callbackUrls,
        },
        readAttributes: new ClientAttributes()
          .withStandardAttributes({ email: true, fullname: true, preferredUsername: true })
          .withCustomAttributes('tenant', 'roles', 'department'),
        // Users may not change their own tenant, roles or department.
        writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
        preventUserExistenceErrors: true,
        accessTokenValidity: Duration.hours(1),
        idTokenValidity: Duration.hours(1),
        refreshTokenValidity: Duration.hours(12),
      });
      let authorizeUrl: string | undefined;
      let tokenUrl: string | undefined;
      if (cfg.cognitoDomainPrefix) {
        const domain = pool.addDomain('Domain', { cognitoDomain: { domainPrefix: cfg.cognitoDomainPrefix } });
        authorizeUrl = `${domain.baseUrl()}/oauth2/authorize`;
        tokenUrl = `${domain.baseUrl()}/oauth2/token`;
      }
      this.userPool = pool;
      this.webClient = client;
      // Cognito puts custom attributes into the ID token (aud = client id); the web sends the ID token.
      this.staff = {
        kind: 'cognito',
        issuer: pool.userPoolProviderUrl,
        audience: client.userPoolClientId,
        claims: resolveClaims(cfg, true),
        clientId: client.userPoolClientId,
        authorizeUrl,
        tokenUrl,
      };
      new CfnOutput(this, 'UserPoolId', { value: pool.userPoolId });
      new CfnOutput(this, 'WebClientId', { value: client.userPoolClientId });
    }

    this.weChatSecret = new Secret(this, 'WeChatApp', {
      description: 'CityOps WeChat mini-program credentials as JSON {"appid":"...","secret":"..."}; set after deploy',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.citizenSigningSecret = new Secret(this, 'CitizenSigningKey', {
      description: 'CityOps citizen token signing key: a private ES256 JWK as JSON; set after deploy',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(this.weChatSecret, [
      'AwsSolutions-SMG4',
      'The WeChat app secret is issued and reset in the WeChat console, not by AWS; rotation is an operator runbook step.',
    ]);
    acknowledge(this.citizenSigningSecret, [
      'AwsSolutions-SMG4',
      'Rotating the citizen signing key needs a JWKS overlap window (old and new key published) that the API does not implement yet; rotated manually.',
    ]);
    new CfnOutput(this, 'StaffIssuer', { value: this.staff.issuer });
  }
}
