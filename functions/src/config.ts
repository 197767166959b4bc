/**
 * Configuration from the environment, parsed once. The same code runs in Lambda and in the local stack; only
 * these values differ (the local stack sets them before it loads the app).
 */
import { z } from 'zod';
import { DEFAULT_CLAIMS } from '../../contracts';

const Env = z.object({
  TABLE_NAME: z.string().default('cityops'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().default('cn-north-1'),
  CITYOPS_RUNTIME: z.enum(['local', 'aws']).default('aws'),
  CITYOPS_VERSION: z.string().default('0.1.0'),
  OIDC_ISSUER: z.string().default('http://localhost:3000/oidc'),
  OIDC_AUDIENCE: z.string().default('cityops'),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_AUTHORIZE_URL: z.string().optional(),
  OIDC_TOKEN_URL: z.string().optional(),
  CLAIM_TENANT: z.string().default(DEFAULT_CLAIMS.tenant),
  CLAIM_ROLES: z.string().default(DEFAULT_CLAIMS.roles),
  CLAIM_DEPARTMENT: z.string().default(DEFAULT_CLAIMS.department),
  CITIZEN_ISSUER: z.string().default('cityops-citizen'),
  WECHAT_API_BASE: z.url().default('https://api.weixin.qq.com'),
  WECHAT_APPID: z.string().default(''),
  WECHAT_SECRET: z.string().default(''),
  STATE_MACHINE_ARNS: z.string().default('{}'),
});
export type Config = z.infer<typeof Env>;

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => Env.parse(env);
