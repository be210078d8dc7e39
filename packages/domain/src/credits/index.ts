// Rules of the credit-transactions flow (issue 4, seed 001). Kept pure: no I/O.
export * from './ledger';
export * from './rules';
