import cluster from 'node:cluster';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages';

/** This process is an API worker started by the primary (main.ts), not a whole API. */
export const isClusterWorker = (): boolean => cluster.isWorker;

/** Sends a message to the primary; resolves once it is handed to the channel. */
export function tellPrimary(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

/** Calls `handler` for every message of the primary of the given type. */
export function onPrimaryMessage<K extends PrimaryMessage['type']>(
  type: K,
  handler: (message: Extract<PrimaryMessage, { type: K }>) => void,
): void {
  process.on('message', (message: unknown) => {
    if (isMessage<PrimaryMessage>(message) && message.type === type) {
      handler(message as Extract<PrimaryMessage, { type: K }>);
    }
  });
}
