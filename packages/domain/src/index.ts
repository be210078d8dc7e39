export * from './errors';
export * from './money';
export * from './auth';
export * from './business';
export * from './quotes';
export * from './credits';
export * from './accounts';
export * from './refunds';
