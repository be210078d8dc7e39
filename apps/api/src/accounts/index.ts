import type { FeatureModule } from '../features';
import type { ServiceDeps } from '../services';
import type { CustomerService } from '../customers/customer.service';

export const accountsFeature: FeatureModule = {
  entities: [],
  migrations: [],
  resolvers: [],
};

/** This feature's services, added to the app's services (see services.ts). */
export function createAccountServices(_deps: ServiceDeps, _shared: { customers: CustomerService }) {
  return {};
}
