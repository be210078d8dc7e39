import { setupServer } from 'msw/node';

/** One msw server for every test file; each test installs its API with `server.use(...)`. */
export const server = setupServer();
