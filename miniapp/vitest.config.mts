import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Component tests run the H5 flavour of the app in jsdom: Taro's React components, a mock of the Taro API
// (test/taro-mock.ts) and NutUI's ES build. See TOOLCHAIN.md (testing the mini-program).
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@tarojs\/components$/, replacement: '@tarojs/components-react' },
      { find: /^@tarojs\/taro$/, replacement: here('./test/taro-mock.ts') },
      {
        find: /^@nutui\/nutui-react-taro$/,
        replacement: '@nutui/nutui-react-taro/dist/es/packages/nutui.react.build.js',
      },
      { find: /^@\//, replacement: here('./src/') },
    ],
  },
  define: {
    DEPRECATED_ADAPTER_COMPONENT: 'false',
    // Feature flags Taro's runtime expects its bundler to define.
    ENABLE_INNER_HTML: 'true',
    ENABLE_ADJACENT_HTML: 'true',
    ENABLE_SIZE_APIS: 'true',
    ENABLE_TEMPLATE_CONTENT: 'true',
    ENABLE_CLONE_NODE: 'true',
    ENABLE_CONTAINS: 'true',
    ENABLE_MUTATION_OBSERVER: 'true',
    'process.env.TARO_ENV': JSON.stringify('h5'),
    API_BASE_URL: JSON.stringify('https://bff.test'),
    DEMO_MODE: 'true',
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    // A ceiling, not a measure: a form test takes ~1 s alone and several times that with both cores busy.
    testTimeout: 30_000,
    server: { deps: { inline: [/@tarojs\/components/, /@nutui/] } },
  },
});
