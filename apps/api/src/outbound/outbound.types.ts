import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo, UserError } from '../platform/graphql/common-types';

@ObjectType('Event', {
  description:
    'Something that happened, in the order it was committed; also what webhooks deliver.',
})
export class Event {
  @Field(() => ID)
  id: string;

  @Field(() => Int, {
    description:
      'Increases by one per event within the business: a reader can tell that it missed none.',
  })
  sequence: number;

  @Field({
    description:
      'E.g. quote.refunded, quote.partially_refunded, credit.refunded, credit.reversed, balance.adjusted, credit_note.refunded.',
  })
  type: string;

  @Field()
  occurredAt: Date;

  @Field({ description: 'The JSON body that a webhook delivery of this event carries.' })
  payload: string;
}

@ObjectType()
export class EventConnection {
  @Field(() => [Event])
  nodes: Event[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType('WebhookEndpoint')
export class WebhookEndpoint {
  @Field(() => ID)
  id: string;

  @Field()
  url: string;

  @Field(() => [String], { description: 'Event types delivered; empty means all.' })
  eventTypes: string[];

  @Field()
  enabled: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'Why it was disabled, e.g. after failing for a day.',
  })
  disabledReason: string | null;

  @Field()
  createdAt: Date;
}

@ObjectType('WebhookDelivery')
export class WebhookDelivery {
  @Field(() => ID, {
    description:
      'Sent as the Refunds-Delivery-Id header, the same on every retry: receivers drop repeats by it.',
  })
  id: string;

  @Field(() => Event)
  event: Event;

  @Field(() => Int)
  attempt: number;

  @Field({ description: 'PENDING, DELIVERED or FAILED.' })
  status: string;

  @Field(() => Int, { nullable: true })
  responseStatus: number | null;

  @Field(() => Int, { nullable: true })
  durationMs: number | null;

  @Field()
  at: Date;

  @Field(() => Date, { nullable: true })
  nextAttemptAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  error: string | null;
}

@ObjectType()
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDelivery])
  nodes: WebhookDelivery[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType()
export class WebhookEndpointPayload {
  @Field(() => WebhookEndpoint, { nullable: true })
  endpoint?: WebhookEndpoint | null;

  @Field(() => String, {
    nullable: true,
    description: 'Shown once, at creation: the key of the HMAC-SHA256 signature of every delivery.',
  })
  signingSecret?: string | null;

  @Field(() => [UserError])
  userErrors?: UserError[];
}

@ObjectType()
export class WebhookDeliveryPayload {
  @Field(() => WebhookDelivery, { nullable: true })
  delivery?: WebhookDelivery | null;

  @Field(() => [UserError])
  userErrors?: UserError[];
}

@ObjectType('MailMessage', {
  description:
    'An e-mail the business sent or would have sent. Without SMTP configured it is KEPT: shown here, sent nowhere.',
})
export class MailMessage {
  @Field(() => ID)
  id: string;

  @Field({ description: 'FOLLOW_UP, REFUND_NOTICE or ENDPOINT_DISABLED.' })
  kind: string;

  @Field()
  to: string;

  @Field()
  subject: string;

  @Field()
  text: string;

  @Field()
  html: string;

  @Field({ description: 'QUEUED, SENT, FAILED, KEPT (no SMTP configured) or CANCELLED.' })
  status: string;

  @Field(() => String, { nullable: true, description: 'Why it was kept, cancelled or failed.' })
  note: string | null;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  sentAt: Date | null;
}

@ObjectType()
export class MailMessageConnection {
  @Field(() => [MailMessage])
  nodes: MailMessage[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
