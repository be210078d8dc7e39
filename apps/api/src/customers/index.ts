import type { FeatureModule } from '../features';
import { Customer } from './customer.entity';
import { CustomerResolver } from './customer.resolver';
import { CustomerNameIndexes1795410300000 } from './migrations/1795410300000-CustomerNameIndexes';

export const customersFeature: FeatureModule = {
  entities: [Customer],
  migrations: [CustomerNameIndexes1795410300000],
  resolvers: [CustomerResolver],
};
