import net from 'node:net';

/**
 * Ports are taken below Linux's ephemeral range (32768 and up), where no outgoing connection can take one
 * between this check and its server's listen, and each lane of `npm test` (TEST_LANE) has a block of its
 * own, so that two lanes never hand out the same port. Within a process they are handed out in turn from a
 * random place in the block, so a port just handed out is not handed out again while its server starts.
 */
const FIRST = 20_000;
const BLOCK = 1_200;
const lane = Number(process.env.TEST_LANE ?? 0) % 10;
let next = Math.floor(Math.random() * BLOCK);

export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port nothing listens on, for a server a test starts. */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried < BLOCK; tried++) {
    const port = FIRST + lane * BLOCK + (next++ % BLOCK);
    if (await canListen(port)) return port;
  }
  throw new Error(`No free port in ${FIRST + lane * BLOCK} to ${FIRST + (lane + 1) * BLOCK - 1}`);
}

/** Blocks of ports in a row (a cluster's services) come from below the single ports, a range for each lane. */
const FIRST_BLOCK = 10_000;
const BLOCKS = 1_000;

/** The first of `span` ports in a row of which `free` says the ports it needs are free. */
export async function freePortRun(span: number, free: (first: number) => Promise<boolean>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = FIRST_BLOCK + lane * BLOCKS + Math.floor(Math.random() * (BLOCKS - span));
    if (await free(first)) return first;
  }
  throw new Error(`No ${span} free ports in a row from ${FIRST_BLOCK + lane * BLOCKS}`);
}
