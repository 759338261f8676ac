export * from './refreshTokens';
export * from './users';
