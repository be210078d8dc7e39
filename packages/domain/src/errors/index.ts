export * from './user-error-code';
export * from './domain-error';
export * from './bad-input-error';
export * from './result';
