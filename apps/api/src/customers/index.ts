import type { FeatureModule } from '../features';
import { Customer } from './customer.entity';
import { CustomerResolver } from './customer.resolver';

export const customersFeature: FeatureModule = {
  entities: [Customer],
  migrations: [],
  resolvers: [CustomerResolver],
};
