import { describe, expect, it } from 'vitest';
import { bindClaim } from '../../src/claims/subcommand.js';
import { VANISH_DEFAULTS, vanishCommand, vanishingClaim } from '../../src/claims/vanish.js';
import { type ProgressStream, createProgress } from '../../src/io/progress.js';
import { main } from '../../src/main.js';
import { runSession } from '../../src/run/session.js';
import { spawnCliAsync } from '../helpers.js';

/** A stream that records what is written to it; a terminal or not. */
function recordingStream(isTTY: boolean): ProgressStream & { written: string } {
  const stream = {
    isTTY,
    columns: 100,
    written: '',
    write(chunk: string | Uint8Array) {
      stream.written += String(chunk);
      return true;
    },
  };
  return stream as unknown as ProgressStream & { written: string };
}

/** A clock the test moves by hand. */
function manualClock() {
  const clock = { ms: 0, now: () => clock.ms };
  return clock;
}

describe('the progress bar', () => {
  it('draws trials done / total, the percentage and an ETA once the run has lasted a second', async () => {
    const stream = recordingStream(true);
    const clock = manualClock();
    const progress = await createProgress(stream, { unicode: false, now: clock.now });
    progress.update(1, 10);
    clock.ms = 999;
    progress.update(2, 10);
    expect(stream.written).toBe('');
    clock.ms = 1001;
    progress.update(3, 10);
    expect(stream.written).toContain('3/10 trials | 30% | ETA');
    progress.stop();
  });

  it('clears its line when stopped, so that the report starts on a clean line', async () => {
    const stream = recordingStream(true);
    const clock = manualClock();
    const progress = await createProgress(stream, { unicode: true, now: clock.now });
    clock.ms = 2000;
    progress.update(5, 10);
    const before = stream.written.length;
    progress.stop();
    // ESC[2K erases the whole line; nothing printable follows it.
    expect(stream.written.slice(before)).toContain('\u001b[2K');
    expect(stream.written.slice(stream.written.lastIndexOf('\u001b[2K') + 4)).toBe('');
  });

  it('never appears for a run that ends within the delay', async () => {
    const stream = recordingStream(true);
    const clock = manualClock();
    const progress = await createProgress(stream, { unicode: true, now: clock.now });
    for (let done = 1; done <= 10; done++) progress.update(done, 10);
    clock.ms = 5000;
    progress.update(10, 10);
    progress.stop();
    expect(stream.written).toBe('');
  });

  it('writes nothing at all when stderr is not a terminal, however long the run', async () => {
    const stream = recordingStream(false);
    const clock = manualClock();
    const progress = await createProgress(stream, { unicode: true, now: clock.now });
    clock.ms = 60_000;
    for (let done = 1; done <= 10; done++) progress.update(done, 20);
    progress.stop();
    expect(stream.written).toBe('');
  });

  it('is told every trial of the session, out of the planned total', () => {
    const calls: [number, number][] = [];
    const claim = bindClaim(vanishingClaim(), { ...VANISH_DEFAULTS, steps: 3, dim: 2 }, 'vanish');
    const command = vanishCommand;
    runSession(
      [
        { claim, command, given: {} },
        { claim, command, given: {} },
      ],
      { seed: 1, trials: 3, shrink: false, onProgress: (done, total) => calls.push([done, total]) },
    );
    expect(calls).toEqual([1, 2, 3, 4, 5, 6].map((done) => [done, 6]));
  });
});

describe('progress in the CLI', () => {
  it('never reaches a piped stderr, even on a run of several seconds', async () => {
    const run = await spawnCliAsync('all', '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).claims.length).toBe(12);
  });

  it('keeps stdout pure JSON when stderr is a terminal, and leaves nothing on stderr once done', async () => {
    const stream = recordingStream(true);
    let stdout = '';
    let stderr = '';
    const code = await main(['momentum', '--only', '2.1', '--trials', '2', '--json'], {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      env: { NO_COLOR: '1' },
      stdoutIsTTY: false,
      progressStream: stream,
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).claims[0].id).toBe('2.1');
    expect(stdout).not.toContain('trials |');
    expect(stderr).toBe('');
    // Whatever the bar drew (the run may be under a second), it ends cleared.
    if (stream.written !== '') expect(stream.written).toMatch(/\u001b\[2K$/);
  });
});
