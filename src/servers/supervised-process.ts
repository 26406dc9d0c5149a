import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every child of the run, so that nothing is left running whatever way the run ends. */
const children = new Set<Supervised>();

/** Kills every child at once (SIGKILL, by process id): for an exit that cannot wait. */
export function killAllNow(): void {
  for (const child of children) child.killNow();
}

/**
 * One child process under supervision, as systemd or Kubernetes would run it: started again after a
 * short back-off when it exits by itself (a crash, or giving up on an unreachable Temporal). An exit we
 * cause (`kill`, `stop`) is not restarted; the caller starts it again when it chooses.
 */
export class Supervised {
  /** SIGKILLs sent by `kill`. */
  kills = 0;
  /** Exits we did not cause, each followed by a restart. */
  crashes = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private ours = false;
  private stopped = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private crashesInARow = 0;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
    private readonly log: (message: string) => void,
  ) {
    children.add(this);
  }

  /** The process id while it runs. */
  get pid(): number | undefined {
    return this.running ? this.child!.pid : undefined;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    clearTimeout(this.restartTimer);
    if (this.stopped || this.running) return;
    const out = fs.openSync(this.logFile, 'a', 0o600);
    fs.writeSync(out, `\n--- ${new Date().toISOString()} starting ${this.name}\n`);
    // Its own process group: Ctrl-C reaches only this script, which then ends the children itself.
    const child = spawn(this.command, this.args, {
      env: this.env,
      stdio: ['ignore', out, out],
      detached: true,
    });
    fs.closeSync(out);
    this.child = child;
    this.ours = false;
    const startedAt = Date.now();
    this.exited = new Promise((resolve) => {
      child.once('error', (err) => this.log(`${this.name} could not be started: ${err.message}`));
      child.once('close', (code, signal) => {
        resolve();
        if (this.ours || this.stopped) return;
        this.crashes++;
        this.crashesInARow = Date.now() - startedAt > 10_000 ? 1 : this.crashesInARow + 1;
        const pause = Math.min(5000, 500 * 2 ** this.crashesInARow);
        this.log(`${this.name} exited by itself (${signal ?? `code ${code}`}); restarting in ${pause} ms`);
        this.restartTimer = setTimeout(() => this.start(), pause);
      });
    });
  }

  /** The end of what it wrote (every start's, in its log file). */
  output(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').slice(-20_000);
    } catch {
      return '';
    }
  }

  /** After `stop`: may be started again. */
  reset(): this {
    this.stopped = false;
    return this;
  }

  /** SIGKILL now, as a crash would; resolves once it is gone. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.ours = true;
    this.kills++;
    this.child!.kill('SIGKILL');
    await this.exited;
  }

  /** A network partition as its peers see it: SIGSTOP, the process frozen with its connections open. */
  pause(): void {
    if (this.running) this.child!.kill('SIGSTOP');
  }

  /** SIGCONT: the frozen process carries on where it was. */
  resume(): void {
    if (this.running) this.child!.kill('SIGCONT');
  }

  /** Waits until the process is running (after a restart of the supervisor's). */
  async whenRunning(): Promise<void> {
    while (!this.running && !this.stopped) await sleep(100);
  }

  /** The end of the run: SIGTERM, then SIGKILL if it is still there 5 s later. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    if (!this.running) return;
    this.ours = true;
    this.child!.kill('SIGCONT');
    this.child!.kill('SIGTERM');
    const timer = setTimeout(() => this.killNow(), 5000);
    await this.exited;
    clearTimeout(timer);
  }

  killNow(): void {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    if (this.running) {
      try {
        process.kill(this.child!.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
