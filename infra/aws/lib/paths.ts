/** Repository paths, resolved from this file so the app works from any working directory. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FLOWS_DIR = resolve(REPO_ROOT, 'functions', 'flows');
export const WEB_DIST_DIR = resolve(REPO_ROOT, 'web', 'dist');
