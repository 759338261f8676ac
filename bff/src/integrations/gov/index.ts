export * from './client';
export * from './signing';
export * from './types';
