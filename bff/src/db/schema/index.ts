export * from './bookings';
export * from './cases';
export * from './catalogue';
export * from './govCallbacks';
export * from './notifications';
export * from './refreshTokens';
export * from './shipments';
export * from './users';
