export * from './event-types';
export * from './delivery-schedule';
export * from './mail-templates';
