import type { FeatureModule } from '../features';
import { ApiKey, Business, Member, Session } from './auth.entities';
import { AuthResolver, BusinessResolver } from './auth.resolver';

export const authFeature: FeatureModule = {
  entities: [Business, Member, Session, ApiKey],
  migrations: [],
  resolvers: [AuthResolver, BusinessResolver],
};
