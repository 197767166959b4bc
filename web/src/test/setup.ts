/** Unmount what a test rendered (the testing library only does this itself when vitest globals are on). */
import { cleanup } from '@solidjs/testing-library';
import { afterEach } from 'vitest';

afterEach(() => cleanup());
