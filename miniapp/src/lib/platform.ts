/**
 * True in the WeChat mini-program, false in the H5 build. A function (not an inline `process.env` check) so
 * component tests can run the WeChat branch too.
 */
export const isWeapp = (): boolean => process.env.TARO_ENV === 'weapp';
