/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.css';

/** Where the BFF is: '' (same origin) for H5, an absolute URL for the mini-program. Set in config/index.ts. */
declare const API_BASE_URL: string;

/** The H5 demo build (demo users, the subscribe-dialog stand-in); false in the mini-program. Set in config/index.ts. */
declare const DEMO_MODE: boolean;

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    TARO_ENV: 'weapp' | 'h5';
    TARO_APP_API_BASE_URL?: string;
    TARO_APP_DEMO?: '0' | '1';
  }
}
