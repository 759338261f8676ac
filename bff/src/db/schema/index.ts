export * from './govCallbacks';
export * from './notifications';
export * from './refreshTokens';
export * from './shipments';
export * from './users';
