import type { NonEmptyArray } from 'type-graphql';
import type { Services } from './services';

/**
 * What one feature folder contributes. Each folder (auth/, customers/, quotes/, credits/,
 * accounts/) exports one of these from its index.ts; this file and services.ts are the only
 * places that list the features.
 */
export interface FeatureModule {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly resolvers: Function[];
  /** Background work in the API process (e.g. the follow-up worker); returns how to stop it. */
  readonly start?: (services: Services) => () => Promise<void>;
}

import { Foundation1795300000000 } from './platform/db/migrations/1795300000000-Foundation';
import { authFeature } from './auth';
import { customersFeature } from './customers';
import { quotesFeature } from './quotes';
import { creditsFeature } from './credits';
import { accountsFeature } from './accounts';
import { auditFeature } from './audit';
import { outboundFeature } from './outbound';
import { demoFeature } from './demo';

export const features: readonly FeatureModule[] = [
  authFeature,
  customersFeature,
  quotesFeature,
  creditsFeature,
  accountsFeature,
  auditFeature,
  outboundFeature,
  demoFeature,
];

export const allEntities = features.flatMap((f) => f.entities);
export const allMigrations = [Foundation1795300000000, ...features.flatMap((f) => f.migrations)];
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const allResolvers = features.flatMap((f) => f.resolvers) as NonEmptyArray<Function>;
