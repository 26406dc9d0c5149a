import express from 'express';

export interface AppDeps {
  isWorkerRunning: () => boolean;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.get('/healthz', (_req, res) => {
    const ok = deps.isWorkerRunning();
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'starting' });
  });
  return app;
}
