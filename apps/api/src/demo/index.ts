import type { FeatureModule } from '../features';
import { DemoResolver, SampleBusinessFieldResolver } from './demo.resolver';
import { SampleBusinesses1795400045000 } from './migrations/1795400045000-SampleBusinesses';

/** Sample data: a business of its own, opened from the SPA's empty state or by `pnpm demo`. */
export const demoFeature: FeatureModule = {
  entities: [],
  migrations: [SampleBusinesses1795400045000],
  resolvers: [DemoResolver, SampleBusinessFieldResolver],
};
