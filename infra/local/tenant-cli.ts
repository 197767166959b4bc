/**
 * `npm run tenant -- <command> <folder>`: validate a tenant manifest, or validate and load it (idempotently)
 * into the running local platform or, with --aws, into a deployed table. A new county is onboarded by adding
 * its folder under tenants/ and running this; no code changes.
 */
import path from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { Store } from '../../functions/src/data/store';
import { formatErrors, validateManifestFile } from '../../tenants/validate';
import { localClientConfig } from './dynamo';
import { loadTenantFolder } from './tenants';

const USAGE = `usage:
  npm run tenant -- validate tenants/<code>
  npm run tenant -- onboard tenants/<code> [--endpoint http://127.0.0.1:8000] [--table cityops]
  npm run tenant -- onboard tenants/<code> --aws --table <TableName> [--region cn-north-1]   (uses your AWS credentials)`;

function option(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [command, folder] = argv;
  if (!command || !folder || !['validate', 'onboard'].includes(command)) {
    console.error(USAGE);
    return 2;
  }
  const dir = path.resolve(folder);
  const v = validateManifestFile(path.join(dir, 'manifest.json'));
  if (!v.ok) {
    console.error(`✖ 租户清单无效 / the tenant manifest is not valid:\n${formatErrors(v.errors)}`);
    return 1;
  }
  if (v.warnings.length > 0) console.warn(`! 提示 / warnings:\n${formatErrors(v.warnings)}`);
  if (command === 'validate') {
    console.log(`✔ ${v.manifest.code} ${v.manifest.name.zh}: manifest is valid`);
    return 0;
  }

  const aws = argv.includes('--aws');
  const tableName = option(argv, '--table') ?? (aws ? undefined : 'cityops');
  if (!tableName) {
    console.error('✖ --aws needs --table <TableName> (the DataStack output)');
    return 2;
  }
  const endpoint = option(argv, '--endpoint') ?? `http://127.0.0.1:${process.env.CITYOPS_DYNAMO_PORT ?? '8000'}`;
  const client = aws ? new DynamoDBClient({ region: option(argv, '--region') ?? process.env.AWS_REGION ?? 'cn-north-1' }) : new DynamoDBClient(localClientConfig(endpoint));
  if (!aws) {
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
    } catch {
      console.error(`✖ 本地平台未运行 / no local platform at ${endpoint}\n  → start it with \`npm start\` in another terminal, or pass --endpoint`);
      return 1;
    }
  }
  const outcome = await loadTenantFolder(new Store({ client, tableName }), dir);
  client.destroy();
  if (!outcome.ok) {
    console.error(outcome.message);
    return 1;
  }
  console.log(`✔ ${outcome.manifest.code} ${outcome.manifest.name.zh}: ${outcome.result.status} (manifest ${outcome.result.manifestHash})`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
