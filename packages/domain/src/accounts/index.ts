// Rules of the customer-accounts flow (issue 5): outstanding amounts of credit notes and
// payments, allocation and refund limits, and the statement's running balance. Pure: no I/O.
export * from './amounts';
export * from './credit';
export * from './invoice';
export * from './allocation';
export * from './payment';
export * from './refund';
export * from './statement';
export * from './bank-account';
export * from './messages';
