/** Start-up problems a person can fix get a message and the fix, not a stack trace. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertJava } from './dynamo';
import { LocalStackError } from './errors';
import { startPlatform } from './platform';
import { freePort } from './ports';

const base = { httpPort: 0, mqttPort: 0, dynamoPort: 0 };
const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

describe('npm start: clear messages', () => {
  it('a port in use names the part and how to choose another', async () => {
    const port = await freePort();
    const blocker = net.createServer().listen(port, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const err = await startPlatform({ ...base, httpPort: port, dataDir: null }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LocalStackError);
      expect((err as LocalStackError).message).toContain(String(port));
      expect((err as LocalStackError).fix).toContain('CITYOPS_PORT');
    } finally {
      blocker.close();
    }
  });

  it('a damaged .data/ says how to start empty', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cityops-data-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'cityops.json'), '{ not json');
    const err = await startPlatform({ ...base, dataDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalStackError);
    expect((err as LocalStackError).fix).toContain('--fresh');
  });

  it('a missing java says how to install it', () => {
    process.env.PATH = '/nonexistent';
    expect(() => assertJava()).toThrow(LocalStackError);
    try {
      assertJava();
    } catch (err) {
      expect((err as LocalStackError).fix).toContain('openjdk-17');
    }
  });
});
