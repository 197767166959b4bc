// Plain JavaScript on purpose: it must run before dependencies are installed, to say what is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const problems = [];
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) problems.push([`Node.js ${process.versions.node} is too old / Node.js 版本过低`, 'install Node.js 20.19 or newer']);
if (!existsSync(path.join(root, 'node_modules/tsx')) || !existsSync(path.join(root, 'node_modules/vite'))) {
  problems.push(['依赖未安装 / dependencies are not installed', 'run `npm ci` first']);
}
const java = spawnSync('java', ['-version']);
if (java.error || java.status !== 0) {
  problems.push([
    '未找到 Java 17 (DynamoDB Local 需要) / Java 17 not found (DynamoDB Local needs it)',
    'install it: `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS)',
  ]);
}
for (const [message, fix] of problems) console.error(`✖ ${message}\n  → ${fix}`);
process.exit(problems.length ? 1 : 0);
