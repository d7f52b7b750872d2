import { afterAll, describe, expect, it } from 'vitest';
import {
  directRunner,
  installBubblewrap,
  pickRunner,
  probeSandbox,
  sandboxAvailability,
  sandboxRunner,
} from '../../src/sandbox/index.js';
import { removeTempDirs } from '../support/temp.js';
import { runnerContract } from './runner-contract.js';

afterAll(removeTempDirs);

describe('sandbox availability', () => {
  it('finds a working bubblewrap here (CI installs it)', () => {
    expect(sandboxAvailability()).toEqual({ available: true });
  });

  it('says how to install bubblewrap when it is missing', () => {
    expect(probeSandbox('/nonexistent/bwrap')).toEqual({
      available: false,
      reason: 'bubblewrap is not installed (no `bwrap` on PATH)',
      install: installBubblewrap,
    });
  });

  it('picks the runner the policy names, never downgrading to none', () => {
    expect(pickRunner('bubblewrap')).toEqual({ ok: true, runner: sandboxRunner });
    expect(pickRunner('none')).toEqual({ ok: true, runner: directRunner });
  });
});

runnerContract(sandboxRunner);
runnerContract(directRunner);
