import net from 'node:net';

/** A port the engine listens on, with the setting that moves it. */
export interface PortSetting {
  setting: string;
  host: string;
  port: number;
}

/** A setting of the operator's is wrong or cannot be met: said in one line, without a stack. */
export class SettingError extends Error {}

export class PortTaken extends SettingError {
  constructor(readonly wanted: PortSetting) {
    super(
      `Port ${wanted.port} on ${wanted.host} is taken (${wanted.setting}): stop what uses it, or set ` +
        `${wanted.setting} to a free port.`,
    );
  }
}

/** Whether `host:port` can be listened on now (port 0 always can). */
export function portFree(host: string, port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(false) : reject(err),
    );
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** Refuses to start, naming the setting, when a port the engine would listen on is taken. */
export async function ensurePortsFree(ports: readonly PortSetting[]): Promise<void> {
  for (const wanted of ports) {
    if (!(await portFree(wanted.host, wanted.port))) throw new PortTaken(wanted);
  }
}

/** A port the system has free now, on `host`. */
export function anyFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The port to listen on for a setting that has a default: the setting's port, refused by name when taken
 * if the operator chose it; a default that is taken (another engine on this machine) gives way to a free port.
 */
export async function portOrFree(wanted: PortSetting, chosen: boolean): Promise<number> {
  if (await portFree(wanted.host, wanted.port)) return wanted.port;
  if (chosen) throw new PortTaken(wanted);
  return anyFreePort(wanted.host);
}
