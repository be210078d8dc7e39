// Rules of the quotes / invoice-refunds flow (issue 3). Kept pure: no I/O.
export * from './status';
export * from './numbers';
export * from './calendar';
export * from './line-items';
export * from './follow-ups';
export * from './transitions';
export * from './refund';
export * from './stats';
export * from './revenue';
export * from './settlement';
export * from './refunds-by-reason';
export * from './rollups';
