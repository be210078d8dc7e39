export * from './refund-channels';
export * from './business-profile';
