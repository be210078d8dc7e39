// Rules of this flow live here (see its issue). Kept pure: no I/O.
export {};
