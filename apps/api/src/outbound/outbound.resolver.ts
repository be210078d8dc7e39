import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { EVENT_TYPES, Permission } from '@refunds/domain';
import { type Caller, CurrentCaller, type RequestContext } from '../platform/graphql/context';
import { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from './outbound.inputs';
import {
  EventConnection,
  MailMessageConnection,
  WebhookDeliveryConnection,
  WebhookDeliveryPayload,
  WebhookEndpoint,
  WebhookEndpointPayload,
} from './outbound.types';

/**
 * Webhook endpoints are for OWNER and ADMIN only: an endpoint, like an API key, hands the
 * business's events to a third party. The domain's permission table gives exactly those two roles
 * (and no API key scope) MANAGE_API_KEYS; a separate permission would repeat the same rows.
 */
const MANAGE_WEBHOOKS = Permission.MANAGE_API_KEYS;

@Resolver()
export class OutboundResolver {
  @Authorized(Permission.READ_MONEY)
  @Query(() => EventConnection, {
    description:
      'READ scope or a money role; oldest first, so a reader resumes from its last cursor.',
  })
  events(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('types', () => [String], { nullable: true }) types?: string[] | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<EventConnection> {
    return services.outbound.events(caller.businessId, { types, first, after });
  }

  @Authorized(Permission.READ_MONEY)
  @Query(() => [String], { description: 'Every event type, for choosing what an endpoint gets.' })
  eventTypes(): string[] {
    return [...EVENT_TYPES];
  }

  @Authorized(MANAGE_WEBHOOKS)
  @Query(() => [WebhookEndpoint], { description: 'OWNER and ADMIN.' })
  webhookEndpoints(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
  ): Promise<WebhookEndpoint[]> {
    return services.outbound.endpoints(caller.businessId);
  }

  @Authorized(MANAGE_WEBHOOKS)
  @Query(() => WebhookDeliveryConnection)
  webhookDeliveries(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<WebhookDeliveryConnection> {
    return services.outbound.deliveries(caller.businessId, endpointId, { first, after });
  }

  @Authorized(Permission.READ_MONEY)
  @Query(() => MailMessageConnection, {
    description:
      'E-mail the business sent, or kept when no SMTP server is configured; newest first.',
  })
  sentMail(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<MailMessageConnection> {
    return services.outbound.mail(caller.businessId, { first, after });
  }

  @Authorized(MANAGE_WEBHOOKS)
  @Mutation(() => WebhookEndpointPayload)
  createWebhookEndpoint(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
  ): Promise<WebhookEndpointPayload> {
    return services.webhooks.create(caller, input);
  }

  @Authorized(MANAGE_WEBHOOKS)
  @Mutation(() => WebhookEndpointPayload)
  updateWebhookEndpoint(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpointPayload> {
    return services.webhooks.update(caller, input);
  }

  @Authorized(MANAGE_WEBHOOKS)
  @Mutation(() => WebhookDeliveryPayload, {
    description: 'Queues the event for the endpoint again, whatever became of earlier attempts.',
  })
  resendEvent(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('eventId', () => ID) eventId: string,
  ): Promise<WebhookDeliveryPayload> {
    return services.webhooks.resend(caller, endpointId, eventId);
  }

  @Authorized(MANAGE_WEBHOOKS)
  @Mutation(() => WebhookDeliveryPayload, {
    description: 'Delivers a webhook.test event to this endpoint only.',
  })
  sendTestWebhook(
    @CurrentCaller() caller: Caller,
    @Ctx() { services }: RequestContext,
    @Arg('endpointId', () => ID) endpointId: string,
  ): Promise<WebhookDeliveryPayload> {
    return services.webhooks.sendTest(caller, endpointId);
  }
}
