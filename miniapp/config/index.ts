import path from 'node:path';
import { defineConfig } from '@tarojs/cli';
import type { IProjectConfig } from '@tarojs/taro/types/compile';
import TsconfigPathsPlugin from 'tsconfig-paths-webpack-plugin';

/**
 * Taro build configuration for both targets (weapp and h5). The only place that reads build-time
 * environment variables: TARO_APP_API_BASE_URL sets where the app finds the BFF. (Subscribe-message template
 * ids come from the BFF at run time: GET /api/v1/me/subscriptions.)
 */

// @zyt/shared is a workspace package shipped as TypeScript source: Taro only transpiles src/ and Taro's
// own packages by default, so shared's source is added to the script rule.
const sharedSource = path.resolve(__dirname, '../../shared/src');

// H5 is served on the same origin as the BFF; the mini-program needs an absolute URL (set it per build).
const apiBaseUrl =
  process.env.TARO_APP_API_BASE_URL ?? (process.env.TARO_ENV === 'weapp' ? 'http://127.0.0.1:8080' : '');

// The demo's sign-in (demo users) and its stand-in for WeChat's subscribe dialog exist only in the H5 demo
// build; the mini-program build compiles them out. TARO_APP_DEMO=0/1 overrides the default per target.
const demoMode = process.env.TARO_APP_DEMO
  ? process.env.TARO_APP_DEMO === '1'
  : process.env.TARO_ENV === 'h5';

// `pnpm dev` (H5 dev server) forwards the API and the WeChat simulator to a running demo stack.
const devBackend = process.env.TARO_APP_DEV_BACKEND ?? 'http://127.0.0.1:8080';

type Chain = Parameters<NonNullable<NonNullable<IProjectConfig<'webpack5'>['mini']>['webpackChain']>>[0];

function webpackChain(chain: Chain) {
  chain.resolve.plugin('tsconfig-paths').use(TsconfigPathsPlugin);
  // Babel may add helper imports (@babel/runtime) to shared's source, which lives outside this package.
  chain.resolve.modules.add('node_modules').add(path.resolve(__dirname, '../node_modules'));
  // chinese-days (used by shared's calendar) declares "type": "commonjs" yet its `module` entry is ESM,
  // which webpack 5 then refuses to parse: read that file as auto-detected JavaScript.
  chain.module
    .rule('chinese-days-esm')
    .test(/chinese-days[\\/]dist[\\/].*\.es\.js$/)
    .type('javascript/auto');
}

// Taro splits only the initial chunks on H5, so each page chunk carried its own copy of NutUI and the shared
// components: split the lazily loaded page chunks too.
function h5WebpackChain(chain: Chain) {
  webpackChain(chain);
  chain.optimization.splitChunks({ ...chain.optimization.get('splitChunks'), chunks: 'all' });
  // The entry is Taro's H5 runtime and React (~290 KB, ~95 KB gzip; scripts/h5-size.ts reports it).
  chain.performance.maxEntrypointSize(400 * 1024).maxAssetSize(400 * 1024);
}

export default defineConfig<'webpack5'>((merge) => {
  const base: IProjectConfig<'webpack5'> = {
    projectName: 'zhengyoutong',
    date: '2026-11-01',
    // NutUI is designed at 375px; our own styles at 750px.
    designWidth(input) {
      const file = (input as { file?: string } | undefined)?.file?.replace(/\\+/g, '/');
      return file?.includes('@nutui') ? 375 : 750;
    },
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: {
      API_BASE_URL: JSON.stringify(apiBaseUrl),
      DEMO_MODE: JSON.stringify(demoMode),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    // Prebundling made the main package exceed WeChat's 2 MB limit (see TOOLCHAIN.md).
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: true },
    mini: {
      compile: { include: [sharedSource] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain,
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      devServer: { proxy: [{ context: ['/api', '/sim'], target: devBackend, changeOrigin: true }] },
      compile: { include: [sharedSource] },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[chunkhash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' },
        },
      },
      webpackChain: h5WebpackChain,
    },
  };
  return merge({}, base);
});
