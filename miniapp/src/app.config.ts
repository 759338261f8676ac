// Main package: home and sign-in only. Every other domain is a sub-package loaded on demand.
export default defineAppConfig({
  pages: ['pages/index/index', 'pages/login/index'],
  subPackages: [
    {
      root: 'me',
      pages: ['pages/index/index', 'pages/privacy/index', 'pages/identity/index', 'pages/facts/index'],
    },
    {
      root: 'booking',
      pages: ['pages/index/index', 'pages/success/index', 'pages/list/index', 'pages/detail/index'],
    },
    // 单程寄递: an acceptance receipt's QR (`<base>/r/<办件编号>/<查询码>`) opens cases/pages/mail/index.
    {
      root: 'cases',
      pages: [
        'pages/index/index',
        'pages/detail/index',
        'pages/mail/index',
        'pages/evaluate/index',
        'pages/bundle/index',
      ],
    },
    { root: 'catalogue', pages: ['pages/search/index', 'pages/guide/index', 'pages/bundle/index'] },
    { root: 'outlets', pages: ['pages/index/index', 'pages/detail/index'] },
    // 替你跑: a bag label's QR opens bag/pages/index/index (ordinary-link QR rule on `<base>/b/`).
    { root: 'bag', pages: ['pages/index/index', 'pages/sent/index'] },
    {
      root: 'staff',
      pages: [
        'pages/index/index',
        'pages/visit/index',
        'pages/supervision/index',
        'pages/bags/index',
        'pages/bag-bind/index',
        'pages/bag-receive/index',
        'pages/day/index',
        'pages/handover/index',
        'pages/centre/index',
        'pages/tickets/index',
        'pages/ticket/index',
      ],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#ffffff',
    navigationBarTitleText: '政邮通',
    navigationBarTextStyle: 'black',
    backgroundColor: '#f5f6f8',
  },
});
