export * from './refund-channels';
export * from './business-profile';
export * from './country-defaults';
