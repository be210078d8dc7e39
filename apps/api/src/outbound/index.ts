import type { FeatureModule } from '../features';
import type { ServiceDeps } from '../services';
import type { Page } from '../platform/pagination';
import { Outbound1795400050000 } from './migrations/1795400050000-Outbound';
import { OutboundResolver } from './outbound.resolver';
import { readOutboundSettings, type OutboundSettings } from './outbound.settings';
import { createMailTransport } from './mail-transport';
import { DeliveryWorker } from './delivery.worker';
import { WebhookService } from './webhook.service';
import {
  findDelivery,
  listDeliveries,
  listEndpoints,
  listEvents,
  listMail,
} from './outbound.queries';
import type { Event, MailMessage, WebhookDelivery, WebhookEndpoint } from './outbound.types';

export { recordEvent } from './event.recorder';
export { queueRefundNotice, queueFollowUpMail } from './mail.queue';

export const outboundFeature: FeatureModule = {
  entities: [],
  migrations: [Outbound1795400050000],
  resolvers: [OutboundResolver],
  start: (services) => services.delivery.start(),
};

/**
 * This feature's services, added to the app's services (see services.ts). The settings come from
 * the environment (outbound.settings.ts) unless a caller hands its own.
 */
export function createOutboundServices(
  deps: ServiceDeps,
  settings: OutboundSettings = readOutboundSettings(),
) {
  const db = deps.db;
  return {
    webhooks: new WebhookService(deps, settings),
    delivery: new DeliveryWorker(deps, settings, createMailTransport(settings.smtpUrl)),
    outbound: {
      settings,
      events: (
        businessId: string,
        query: { types?: string[] | null; first?: number | null; after?: string | null },
      ): Promise<Page<Event>> => listEvents(db, businessId, query),
      endpoints: (businessId: string): Promise<WebhookEndpoint[]> => listEndpoints(db, businessId),
      deliveries: (
        businessId: string,
        endpointId: string,
        query: { first?: number | null; after?: string | null },
      ): Promise<Page<WebhookDelivery>> => listDeliveries(db, businessId, endpointId, query),
      delivery: (businessId: string, id: string) => findDelivery(db, businessId, id),
      mail: (
        businessId: string,
        query: { first?: number | null; after?: string | null },
      ): Promise<Page<MailMessage>> => listMail(db, businessId, query),
    },
  };
}
