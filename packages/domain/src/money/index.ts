export * from './decimal';
export * from './currency';
export * from './money';
export * from './credits';
