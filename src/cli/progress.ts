import cliProgress from "cli-progress";

/**
 * Progress bars for long work (imports, the demo's 90 days, scoring) on a terminal; nothing when
 * stderr is a file or a pipe, so logs and tests stay clean.
 */
export interface Progress {
  update(stage: string, done: number, total: number): void;
  stop(): void;
}

export function progressBars(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bars = new cliProgress.MultiBar(
    { stream, format: " {stage} [{bar}] {value}/{total}", hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  const byStage = new Map<string, cliProgress.SingleBar>();
  return {
    update(stage, done, total) {
      let bar = byStage.get(stage);
      if (!bar) {
        bar = bars.create(total, 0, { stage: stage.padEnd(8) });
        byStage.set(stage, bar);
      }
      bar.setTotal(total);
      bar.update(done, { stage: stage.padEnd(8) });
    },
    stop() {
      bars.stop();
    },
  };
}
