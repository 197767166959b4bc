/**
 * `npm start`: the whole platform on this machine. Prints the URLs, the demo logins and a readiness line;
 * problems a person can fix are printed as a message and a fix, without a stack trace. Ctrl-C stops cleanly.
 */
import './env';
import path from 'node:path';
import { LocalStackError } from './errors';
import { DEMO_PASSWORD } from './dev-issuer';
import { ROOT, startPlatform, type Platform } from './platform';

const args = new Set(process.argv.slice(2));
const port = (name: string, fallback: number): number => {
  const raw = process.env[name];
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`✖ ${name}=${raw} is not a port number (0–65535)`);
    process.exit(2);
  }
  return n;
};

if (args.has('--help')) {
  console.log('npm start [-- --fresh]   run CityOps locally (data in .data/; --fresh starts empty)\n  env: CITYOPS_PORT (3000), CITYOPS_MQTT_PORT (1883), CITYOPS_DYNAMO_PORT (8000), CITYOPS_DATA_DIR (.data)');
  process.exit(0);
}

let platform: Platform | undefined;
try {
  platform = await startPlatform({
    dataDir: path.resolve(ROOT, process.env.CITYOPS_DATA_DIR ?? '.data'),
    fresh: args.has('--fresh'),
    httpPort: port('CITYOPS_PORT', 3000),
    mqttPort: port('CITYOPS_MQTT_PORT', 1883),
    dynamoPort: port('CITYOPS_DYNAMO_PORT', 8000),
  });
} catch (err) {
  if (err instanceof LocalStackError) {
    console.error(`\n✖ ${err.message}\n  → ${err.fix}\n`);
    process.exit(1);
  }
  throw err;
}

const p = platform;
const problems = p.tenants.filter((t) => !t.ok);
const lines = [
  '',
  '  CityOps 城市运行管理服务平台 — local stack',
  '',
  `  Web & API      ${p.url}`,
  `  OpenAPI        ${p.url}/openapi.json`,
  `  Health         ${p.url}/healthz`,
  `  OIDC (dev)     ${p.url}/oidc/.well-known/openid-configuration`,
  `  WeChat (stub)  ${p.url}/wechat/_outbox`,
  `  MQTT           mqtt://localhost:${p.mqttPort}  (devices: cityops/<tenant>/devices/<deviceId>/telemetry)`,
  `  DynamoDB       ${p.dynamo.endpoint}  (table cityops, data in .data/)`,
  '',
  `  Tenants        ${p.tenants.map((t) => (t.ok ? `${t.manifest.code} ${t.manifest.name.zh} (${t.result.status})` : `✖ ${path.basename(t.dir)}`)).join(', ')}`,
  '',
  `  Demo logins (password "${DEMO_PASSWORD}"), e.g.:`,
  ...['430000.province-supervisor', '430100.dispatcher', '430100.shift-leader', '430100.inspector', '430100.tenant-admin', '430181.leader', '430100.citizen'].map(
    (u) => `    ${u}`,
  ),
  `    … every role of every tenant: ${p.url}/oidc/demo-users`,
  '',
];
console.log(lines.join('\n'));
for (const t of problems) if (!t.ok) console.error(`  ✖ tenant folder ${t.dir} was not loaded:\n${t.message}\n`);
console.log(`✔ CityOps ready in ${(p.startedInMs / 1000).toFixed(1)} s — ${p.url}  (Ctrl-C to stop)`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping… (open flows resume at the next start)`);
  const force = setTimeout(() => {
    console.error('✖ shutdown took more than 15 s; exiting');
    process.exit(1);
  }, 15_000);
  await p.stop();
  clearTimeout(force);
  console.log('✔ stopped');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
