import { performance } from 'node:perf_hooks';
import type { SingleBar } from 'cli-progress';

/** Where the bar is drawn: stderr, which must be a terminal for anything to appear. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** What the CLI tells the bar; the runner reports through a callback and never prints. */
export interface Progress {
  update(done: number, total: number): void;
  /** Removes the bar (if it was drawn), so that the report starts on a clean line. */
  stop(): void;
}

export interface ProgressOptions {
  /** Box characters for the bar; '=' and '-' when the terminal is not UTF-8. */
  unicode: boolean;
  /** The bar appears only once a run has lasted this long: short runs stay quiet. */
  delayMs?: number;
  /** Milliseconds, for tests; performance.now by default. */
  now?: () => number;
}

const SILENT: Progress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar on stderr (trials done / total, percentage, ETA) for runs longer than about a
 * second, only when stderr is a terminal: piped or redirected stderr, CI logs and JSON consumers
 * never see it. Updates come synchronously from the runner, so the bar redraws on update (at most
 * 10 times a second) rather than on a timer the blocked event loop could not fire.
 */
export async function createProgress(stream: ProgressStream | undefined, options: ProgressOptions): Promise<Progress> {
  if (stream === undefined || stream.isTTY !== true) return SILENT;
  // Loaded only for a terminal: piped runs and start-up do not pay for it.
  const { default: cliProgress } = await import('cli-progress');
  const now = options.now ?? (() => performance.now());
  const delayMs = options.delayMs ?? 1000;
  const started = now();
  let bar: SingleBar | null = null;
  return {
    update(done, total) {
      if (bar !== null) {
        bar.update(done);
        return;
      }
      if (done >= total || now() - started < delayMs) return;
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `hwcheck {bar} {value}/{total} trials${options.unicode ? ' · ' : ' | '}{percentage}%${options.unicode ? ' · ' : ' | '}ETA {eta_formatted}`,
          barsize: 30,
          clearOnComplete: true,
          hideCursor: false,
          gracefulExit: false,
          etaBuffer: 50,
          synchronousUpdate: true,
        },
        options.unicode ? cliProgress.Presets.shades_classic : cliProgress.Presets.legacy,
      );
      bar.start(total, done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
